#!/usr/bin/python3
"""Reports the failures recorded in an executed notebook.

Usage: check.py EXECUTED.ipynb
       check.py --charts NOTEBOOK.ipynb

A notebook fails when a cell produced an error output (compile error,
panic, exception) or printed "exit status N" (N > 0) on stderr, which is how
GoNB reports a failed shell line (`!cmd`) while nbconvert still succeeds,
or reported on stderr that an output could not be sent to the kernel. Code cells left unexecuted are counted too, and so is a chart output (an
echarts script or an inline SVG in text/html) that lacks a static image form
(image/svg+xml or image/png): Jupyter strips the scripts and inline SVG of an
untrusted notebook's HTML, so without the image the chart vanishes when a
fresh clone is opened. With --charts only that last rule is checked (for
committed notebooks, before they are executed). Prints one line per problem,
then the end of the failing cells' error and stderr output, and exits 1 when
there is any problem, 0 otherwise.

Runs under /usr/bin/python3, which has nbformat (Debian python3-nbformat).
"""
import re
import sys

import nbformat

EXIT_STATUS = re.compile(r"exit status ([0-9]+)")
# GoNB prints this on stderr when a display output could not reach the
# kernel: the output is lost while the cell still succeeds.
LOST_OUTPUT = "failed to write to GoNB pipe"


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def tail(text, n=12):
    lines = [ANSI.sub("", l) for l in text.rstrip().splitlines()]
    return lines[-n:]


CHART_SCRIPT = "echarts.init("
IMAGE_FORMS = ("image/svg+xml", "image/png")


def chart_problems(nb):
    """Lines naming every chart output without a static image form."""
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = o.get("data", {})
            html = data.get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            chart = CHART_SCRIPT in html or "<svg" in html
            if chart and not any(f in data for f in IMAGE_FORMS):
                out.append("cell %d: a chart output has no image/svg+xml or image/png form "
                           "(it vanishes in an untrusted notebook); display charts with chart.Display" % index)
    return out


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
                if LOST_OUTPUT in text:
                    failed = True
                    out.append("%s: an output was lost (%s on stderr)" % (label, LOST_OUTPUT))
                for m in EXIT_STATUS.finditer(text):
                    if int(m.group(1)) != 0:
                        failed = True
                        out.append("%s: a command failed (%s on stderr)" % (label, m.group(0)))
        if failed and stderr.strip():
            details.append("--- stderr of %s ---" % label)
            details.extend(tail(stderr))
    if unexecuted:
        out.append("%d code cell(s) were not executed" % unexecuted)
    out.extend(chart_problems(nb))
    return out, details


def main(argv):
    charts_only = len(argv) == 3 and argv[1] == "--charts"
    if len(argv) != 2 and not charts_only:
        print("usage: check.py [--charts] NOTEBOOK.ipynb", file=sys.stderr)
        return 2
    path = argv[-1]
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # a truncated or corrupt file is a failure too
        print("cannot read %s: %s" % (path, e))
        return 1
    if charts_only:
        found, details = chart_problems(nb), []
    else:
        found, details = problems(nb)
    for p in found:
        print(p)
    for d in details:
        print("  " + d)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
