#!/usr/bin/env python3
"""Write the manual page register_new_matrix_user(1) from the command's own definition.

Usage:
    scripts/manpage.py BINARY TEMPLATE OUTPUT

BINARY is a built register_new_matrix_user. Its `--experimental-dump-help` (the option table
--help is printed from, as JSON) gives the abstract, the description and
every option with its help text; `--help` gives the exit-status table (ExitStatus's, as it prints
it) and `--version` the version. TEMPLATE
(packaging/register_new_matrix_user.1.in) holds the sections written by hand and marks where those
go: @ABSTRACT@, @DESCRIPTION@, @OPTIONS@, @EXIT_STATUS@, @VERSION@, @DATE@. The date is
SOURCE_DATE_EPOCH's when it is set (a reproducible build), else today's.
"""
import datetime
import json
import os
import re
import subprocess
import sys

EXIT_HEADING = "EXIT STATUS"


def roff(text: str) -> str:
    """Text made safe for roff: backslashes and hyphens escaped, no line starting with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line for line in text.split("\n"))


def option_heading(argument: dict) -> str:
    """`\\fB\\-c\\fR, \\fB\\-\\-config\\-path\\fR \\fIPATH\\fR`: the short names first, then the long ones, then the value."""
    names = sorted(argument["names"], key=lambda n: n["kind"] != "short")
    spelled = ", ".join(
        "\\fB" + roff(("-" if n["kind"] == "short" else "--") + n["name"]) + "\\fR" for n in names)
    if argument["kind"] == "option":
        spelled += " \\fI" + roff(argument["valueName"]) + "\\fR"
    return spelled


def options(arguments: list) -> str:
    shown = [a for a in arguments if a.get("shouldDisplay", True) and a.get("names")]
    return "\n".join(f".TP\n{option_heading(a)}\n{roff(a.get('abstract', ''))}" for a in shown)


def description(discussion: str) -> str:
    """The command's discussion, without an exit-status table should it carry one."""
    return discussion.partition("\n" + EXIT_HEADING + "\n")[0].strip()


def exit_statuses_of(help_text: str) -> list[tuple[str, str]]:
    """The exit-status table --help prints: `  64   meaning` lines, meanings wrapped onto indented lines."""
    lines = help_text.split("\n")
    if EXIT_HEADING not in lines:
        sys.exit(f"manpage.py: --help has no {EXIT_HEADING} table")
    statuses: list[tuple[str, str]] = []
    for line in lines[lines.index(EXIT_HEADING) + 1:]:
        match = re.match(r"^ {1,4}(\d+)\s+(.*)$", line)
        if match:
            statuses.append((match.group(1), match.group(2).strip()))
        elif line.startswith("  ") and line.strip() and statuses:
            number, meaning = statuses[-1]
            statuses[-1] = (number, meaning + " " + line.strip())
        else:
            break
    return statuses


def paragraphs(prose: str) -> str:
    return "\n.PP\n".join(roff(" ".join(p.split())) for p in re.split(r"\n\s*\n", prose) if p.strip())


def exit_statuses(statuses: list[tuple[str, str]]) -> str:
    return "\n".join(f".TP\n.B {number}\n{roff(meaning[:1].upper() + meaning[1:])}." for number, meaning in statuses)


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().split("\n\n")[1])
    binary, template_path, output_path = sys.argv[1:]
    command = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True,
                                        capture_output=True, text=True).stdout)["command"]
    version = subprocess.run([binary, "--version"], check=True, capture_output=True,
                             text=True).stdout.split("\n")[0].split()[-1]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
            else datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%d")
    help_text = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "80"}).stdout
    parts = {
        "@ABSTRACT@": roff(command["abstract"].rstrip(".")),
        "@DESCRIPTION@": paragraphs(description(command.get("discussion", ""))),
        "@OPTIONS@": options(command["arguments"]),
        "@EXIT_STATUS@": exit_statuses(exit_statuses_of(help_text)),
        "@VERSION@": version,
        "@DATE@": date,
    }
    with open(template_path, encoding="utf-8") as f:
        page = f.read()
    for marker, text in parts.items():
        if marker not in page:
            sys.exit(f"manpage.py: {template_path} has no {marker}")
        page = page.replace(marker, text)
    with open(output_path, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
