package imageset

import (
	"bufio"
	"bytes"
	"strings"
)

// Credit is one block of a GCompris resource README: who made the listed
// files, under which licence, and where the original is.
type Credit struct {
	Author  string   `json:"author"`
	Licence string   `json:"licence"`
	Source  string   `json:"source"`
	Files   []string `json:"files"`
}

// ParseCredits reads the credit blocks of a GCompris README (the files
// named README inside its .rcc resources): blocks separated by blank lines,
// each with "Copyright:", "License:", "Source:" and "Files:" fields; the
// file list is the rest of the "Files:" line and the following lines that
// are not themselves fields. Unknown fields ("Comment:") are skipped. Lines
// that fit no block are ignored: the README is free text, so the parser
// never fails.
func ParseCredits(readme []byte) []Credit {
	var (
		out     []Credit
		cur     Credit
		inFiles bool
	)
	flush := func() {
		if len(cur.Files) > 0 {
			out = append(out, cur)
		}
		cur, inFiles = Credit{}, false
	}
	sc := bufio.NewScanner(bytes.NewReader(readme))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			flush()
			continue
		}
		key, val, isField := strings.Cut(line, ":")
		if isField && (strings.Contains(key, " ") || strings.HasPrefix(val, "//")) {
			isField = false // "a b: c" or a URL, not a field
		}
		if !isField {
			if inFiles {
				for _, f := range strings.Fields(line) {
					cur.Files = append(cur.Files, strings.TrimSuffix(f, ","))
				}
			}
			continue
		}
		val = strings.TrimSpace(val)
		inFiles = false
		switch strings.ToLower(key) {
		case "copyright":
			if cur.Author != "" && len(cur.Files) > 0 {
				flush() // a new block without a blank line between
			}
			cur.Author = val
		case "license", "licence":
			cur.Licence = val
		case "source":
			cur.Source = val
		case "files", "file":
			inFiles = true
			for _, f := range strings.Fields(val) {
				cur.Files = append(cur.Files, strings.TrimSuffix(f, ","))
			}
		}
	}
	flush()
	return out
}
