#!/usr/bin/env python3
"""Copies deploy/runbooks/*.yaml into deploy/remediation-worker.yaml, between the markers
   # BEGIN runbook <file>  ...  # END runbook <file>
indented like the BEGIN line. The runbook files are the source of truth; StackTemplateTests fails when the
embedded Content differs from them. Usage: python3 deploy/sync-runbooks.py [--check]"""
import pathlib
import re
import sys

DEPLOY = pathlib.Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "remediation-worker.yaml"
BEGIN = re.compile(r"^(?P<indent> *)# BEGIN runbook (?P<file>\S+)$")


def body(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)  # the file's own header comment stays in the file
    return lines


def sync(text):
    out, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        out.append(lines[i])
        match = BEGIN.match(lines[i])
        i += 1
        if not match:
            continue
        end = f"{match['indent']}# END runbook {match['file']}"
        try:
            stop = lines.index(end, i)
        except ValueError:
            sys.exit(f"no '{end.strip()}' after '{lines[i - 1].strip()}'")
        out += [(match["indent"] + line).rstrip() for line in body(DEPLOY / match["file"])]
        out.append(end)
        i = stop + 1
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    current = TEMPLATE.read_text(encoding="utf-8")
    synced = sync(current)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if synced == current else f"{TEMPLATE.name} is out of date: run python3 deploy/sync-runbooks.py")
    TEMPLATE.write_text(synced, encoding="utf-8")
