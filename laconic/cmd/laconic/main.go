package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
)

// command is one sub-command. run returns the process exit status: 0
// success, 1 failure, 2 usage error.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

// register adds a sub-command; each command's file calls it from init.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("laconic: duplicate command " + c.name)
	}
	commands[c.name] = c
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// checkedWriter remembers the first error of the writes through it, so
// that output lost on standard output (a full disk, a closed pipe) turns
// into a failure instead of exit status 0.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

func run(args []string, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout}
	name := "laconic"
	if len(args) > 0 {
		name += " " + args[0]
	}
	code := dispatch(args, out, stderr)
	if out.err != nil && code == 0 {
		// The command did not notice (a table writer or fmt.Fprint whose
		// error went unchecked): report it here.
		fmt.Fprintf(stderr, "%s: write standard output: %v\n", name, out.err)
		code = 1
	}
	return code
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	case "help":
		switch len(args) {
		case 1:
			usage(stdout)
			return 0
		case 2:
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "laconic help: unknown command %q\n\n", args[1])
				usage(stderr)
				return 2
			}
			// A command's -h prints its usage on the writer it reports
			// errors to; help asked for it, so it goes to stdout.
			return c.run([]string{"-h"}, stdout, stdout)
		}
		fmt.Fprintln(stderr, "usage: laconic help [COMMAND]")
		return 2
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "laconic: unknown flag %q (flags go after the command)\n\n", args[0])
		usage(stderr)
		return 2
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "laconic: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

// versionLine returns "laconic <module version> (<vcs revision>[, modified]
// <vcs time>, <go version>)" from the build information the Go toolchain
// embeds.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "laconic (no build information)"
	}
	return formatVersion(bi)
}

func formatVersion(bi *debug.BuildInfo) string {
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var parts []string
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " modified"
		}
		parts = append(parts, "commit "+rev)
	} else {
		parts = append(parts, "commit unknown")
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	parts = append(parts, bi.GoVersion)
	return fmt.Sprintf("laconic %s %s (%s)", bi.Main.Path, version, strings.Join(parts, ", "))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: laconic <command> [flags]")
	fmt.Fprintln(w, "       laconic help <command>")
	fmt.Fprintln(w, "       laconic --version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "laconic help <command>" for a command's flags. Exit status: 0 success,`)
	fmt.Fprintln(w, "1 failure (bad data, a failed download or write), 2 usage error.")
	fmt.Fprintln(w, "Zoo models are cached in $LACONIC_CACHE (default: data/models of the repository,")
	fmt.Fprintln(w, "else laconic/models in the user's cache directory); a notice names the folder")
	fmt.Fprintln(w, "whenever a model is downloaded.")
}
