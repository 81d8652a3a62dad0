"""Render time of FastForge's defaults next to Copier alone on a one-file template.

    uv run python benchmarks/render_time.py [--runs 7]

Both templates are clean git clones, rendered by the same `copier copy --defaults --trust`
command line, alternately, so that machine load hits both alike. Prints the medians and ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.projects import clean_clone, git


def one_file_template(root: Path) -> Path:
    template = root / "one-file"
    template.mkdir()
    (template / "copier.yml").write_text("name:\n  type: str\n  default: demo\n")
    (template / "README.md.jinja").write_text("# {{ name }}\n")
    git(template, "init", "--quiet")
    git(template, "add", "-A")
    git(template, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "t")
    return template


def render_seconds(template: Path, destination: Path) -> float:
    command = [sys.executable, "-m", "copier", "copy", "--quiet", "--defaults", "--trust"]
    command += ["--vcs-ref", "HEAD"]
    started = time.perf_counter()
    subprocess.run([*command, str(template), str(destination)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as workdir:
        root = Path(workdir)
        templates = {
            "copier, one file": one_file_template(root),
            "fastforge": clean_clone(root / "fastforge"),
        }
        times: dict[str, list[float]] = {name: [] for name in templates}
        for run in range(runs):
            for index, (name, template) in enumerate(templates.items()):
                times[name].append(render_seconds(template, root / f"out-{run}-{index}"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:18} median {median:.2f} s over {runs} runs")
    ratio = medians["fastforge"] / medians["copier, one file"]
    print(f"ratio fastforge / copier alone: {ratio:.2f} (goal: at most 2.00)")


if __name__ == "__main__":
    main()
