"""Executes notebooks headlessly on the tslab kernel: `npm run notebooks -- [--preset NAME] [NOTEBOOK...]`.

Each executed copy is written to build/notebooks/ (never over the committed notebook, also when a cell fails)
and signed, so JupyterLab trusts its HTML and draws its interactive plots. A failing cell is printed with its
source and stderr, and the run exits 1. The preset reaches the notebooks through DISTILL_LAB_PRESET, which the
library reads (src/experiments/common/preset-env.ts). This is the route that regenerates committed results on purpose:
it sets DISTILL_LAB_WRITE_RESULTS=1, without which a notebook kernel writes its tables and figures to
build/notebooks/scratch/ (src/util/paths.ts); with `smoke` (what CI runs) they go under build/notebooks/ instead
of data/ and figures/, so a CI run never rewrites committed results. Notebooks import the library as
`distill-lab/...` (node_modules/distill-lab links to dist/), so an executed copy runs again from where it lies.
Run through scripts/jupyter-env.sh (npm does), which points Jupyter at the committed kernelspec.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "notebooks"
KERNEL = "tslab"
RED, GREEN, RESET = "\033[1;31m", "\033[1;32m", "\033[0m"


def fail(what: str, fix: str) -> None:
    """The one message for bad input or setup: what is wrong (naming the file) and how to fix it."""
    print(f"{RED}notebooks:{RESET} {what}\n{RED}fix:{RESET} {fix}", file=sys.stderr)
    sys.exit(2)


def rel(path: Path) -> str:
    return str(path.resolve().relative_to(ROOT)) if path.resolve().is_relative_to(ROOT) else str(path)


def preset_names() -> list[str]:
    """The presets the library knows (asked from dist/, so the list lives in one place)."""
    module = ROOT / "dist" / "experiments" / "common" / "preset-env.js"
    if not module.exists():
        fail(f"{rel(module)} is missing (notebooks import the built library)", "npm run build")
    out = subprocess.run(
        ["node", "-p", f"require({str(module)!r}).PRESET_NAMES.join(' ')"], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def build_library() -> None:
    """Brings dist/ up to date with src/ (the setup step skips the compile when nothing changed)."""
    done = subprocess.run(["bash", "scripts/setup.sh", "--only", "build"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        fail("dist/ could not be built from src/", "fix the TypeScript errors above, then re-run")


def print_failure(path: Path, nb: nbformat.NotebookNode, index: int) -> None:
    """The failing cell's source, then everything it wrote to stderr and any error output."""
    cell = nb.cells[index]
    print(f"{RED}✗ {rel(path)}: cell {index} failed{RESET}", file=sys.stderr)
    for line in cell.source.splitlines():
        print(f"    │ {line}", file=sys.stderr)
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stderr":
            sys.stderr.write("".join(f"    ! {line}\n" for line in output.text.rstrip("\n").splitlines()))
        elif output.output_type == "error":
            text = "\n".join(output.get("traceback") or [f"{output.ename}: {output.evalue}"])
            sys.stderr.write("".join(f"    ! {line}\n" for line in text.splitlines()))


def write_signed(nb: nbformat.NotebookNode, target: Path) -> None:
    """Signs (JUPYTER_DATA_DIR's key, shared with `npm run lab`) and writes under a temporary name, then renames."""
    NotebookNotary().sign(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    nbformat.write(nb, str(temporary))
    temporary.replace(target)


def run_notebook(path: Path, timeout: int) -> bool:
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as error:  # nbformat raises several types for unreadable JSON
        fail(f"{rel(path)} is not a readable notebook ({error})", "restore it from the repository or re-save it in JupyterLab")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != KERNEL:
        fail(
            f"{rel(path)} asks for kernel {kernel!r}, but the project's notebooks run on {KERNEL!r}",
            f"set metadata.kernelspec.name to {KERNEL!r} (JupyterLab: Kernel → Change Kernel → TypeScript (distill-lab))",
        )
    failed_cell: list[int] = []
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        startup_timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_error=lambda cell, cell_index, execute_reply: failed_cell.append(cell_index),
    )
    started = time.monotonic()
    target = BUILD / path.name
    kernel_log = BUILD / f"{path.stem}.kernel.log"
    kernel_log.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The kernel's own stderr (native libraries, tslab's socket warnings) goes to a log, not the terminal;
        # anything a cell writes to stderr is in the notebook and printed below when the cell fails.
        with open(kernel_log, "w") as log:
            client.execute(stderr=log)
        ok = True
    except NoSuchKernel:
        fail(
            f"kernel {KERNEL!r} for {rel(path)} not found in JUPYTER_PATH={os.environ.get('JUPYTER_PATH')}",
            "run through npm (npm run notebooks), which uses scripts/jupyter-env.sh and jupyter/kernels/tslab",
        )
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        ok = False
        if not failed_cell:  # a timeout or a dead kernel is not reported through on_cell_error
            print(f"{RED}✗ {rel(path)}: {type(error).__name__}: {str(error).splitlines()[0]}{RESET}", file=sys.stderr)
    write_signed(nb, target)
    for index in failed_cell:
        print_failure(path, nb, index)
    if not ok:
        print(f"    kernel log: {rel(kernel_log)}", file=sys.stderr)
    mark = f"{GREEN}✓" if ok else f"{RED}✗"
    print(f"{mark} {rel(path)}{RESET} ({time.monotonic() - started:.1f} s) → {rel(target)}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: every notebooks/*.ipynb)")
    parser.add_argument("--preset", default=None, help="budget preset passed as DISTILL_LAB_PRESET (default: quick)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    parser.add_argument("--no-build", action="store_true", help="use dist/ as it is instead of rebuilding it first")
    args = parser.parse_args()

    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        fail(f"notebook {missing[0]} does not exist", f"name a file in notebooks/ (there: {', '.join(p.name for p in sorted((ROOT / 'notebooks').glob('*.ipynb')))})")
    if not paths:
        fail("notebooks/ holds no .ipynb files", "add a notebook or name one on the command line")
    if not args.no_build:
        build_library()
    preset = args.preset if args.preset is not None else os.environ.get("DISTILL_LAB_PRESET") or None
    if preset is not None:
        names = preset_names()
        if preset not in names:
            source = "--preset" if args.preset is not None else "the DISTILL_LAB_PRESET environment variable"
            fail(f"unknown preset {preset!r} (from {source})", f"use one of: {', '.join(names)}")
        os.environ["DISTILL_LAB_PRESET"] = preset
        if preset == "smoke":
            os.environ.setdefault("DISTILL_LAB_DATA_DIR", str(BUILD / "data"))
            os.environ.setdefault("DISTILL_LAB_FIGURES_DIR", str(BUILD / "figures"))
    # Headless runs write data/tables and figures/ (or DISTILL_LAB_DATA_DIR's, smoke's); set it to 0 to keep them.
    os.environ.setdefault("DISTILL_LAB_WRITE_RESULTS", "1")
    print(f"notebooks: {len(paths)} notebook(s), preset {preset}, executed copies in {rel(BUILD)}/")
    results = [run_notebook(path.resolve(), args.timeout) for path in paths]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
