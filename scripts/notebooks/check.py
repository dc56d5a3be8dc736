#!/usr/bin/python3
"""Reports the failures recorded in an executed notebook.

Usage: check.py EXECUTED.ipynb

A notebook fails when a cell produced an error output (compile error,
panic, exception) or printed "exit status N" (N > 0) on stderr, which is how
GoNB reports a failed shell line (`!cmd`) while nbconvert still succeeds.
Code cells left unexecuted are counted too. Prints one line per problem,
then the end of the failing cells' error and stderr output, and exits 1 when
there is any problem, 0 otherwise.

Runs under /usr/bin/python3, which has nbformat (Debian python3-nbformat).
"""
import re
import sys

import nbformat

EXIT_STATUS = re.compile(r"exit status ([0-9]+)")


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def tail(text, n=12):
    lines = [ANSI.sub("", l) for l in text.rstrip().splitlines()]
    return lines[-n:]


def problems(nb):
    """Returns (summary lines, detail lines)."""
    out, details = [], []
    unexecuted = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = "cell %d" % index
        first = next((l for l in cell.source.splitlines() if l.strip()), "")
        if first:
            label += " (%s)" % first.strip()[:60]
        if cell.source.strip() and cell.get("execution_count") is None:
            unexecuted += 1
        failed = False
        stderr = ""
        for o in cell.get("outputs", []):
            kind = o.get("output_type")
            if kind == "error":
                failed = True
                msg = (o.get("ename", "") + ": " + o.get("evalue", "")).strip(": ")
                out.append("%s: error output: %s" % (label, msg.splitlines()[0] if msg else "(no message)"))
                details.extend(tail("\n".join(o.get("traceback", [])), 20))
            elif kind == "stream" and o.get("name") == "stderr":
                text = o.get("text", "")
                stderr += text
                for m in EXIT_STATUS.finditer(text):
                    if int(m.group(1)) != 0:
                        failed = True
                        out.append("%s: a command failed (%s on stderr)" % (label, m.group(0)))
        if failed and stderr.strip():
            details.append("--- stderr of %s ---" % label)
            details.extend(tail(stderr))
    if unexecuted:
        out.append("%d code cell(s) were not executed" % unexecuted)
    return out, details


def main(argv):
    if len(argv) != 2:
        print("usage: check.py EXECUTED.ipynb", file=sys.stderr)
        return 2
    try:
        nb = nbformat.read(argv[1], as_version=4)
    except Exception as e:  # a truncated or corrupt file is a failure too
        print("cannot read %s: %s" % (argv[1], e))
        return 1
    found, details = problems(nb)
    for p in found:
        print(p)
    for d in details:
        print("  " + d)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
