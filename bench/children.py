"""Child processes measured one by one: wall-clock seconds and peak RSS.

Peak RSS comes from GNU ``/usr/bin/time`` (``%M``) when it is installed. Python's own
figures are not enough: ``getrusage(RUSAGE_CHILDREN)`` is the largest RSS of *all*
children so far, and even one child's ``ru_maxrss`` (from :func:`os.wait4`) starts at
the size of this process, because Linux carries the high-water mark of the forked copy
across ``exec``. Without ``/usr/bin/time`` that inflated figure is used, and flagged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")
#: Where the peak RSS figures come from.
RSS_SOURCE = (
    "GNU time %M (the child alone)"
    if GNU_TIME
    else "wait4 ru_maxrss (includes the benchmark process's size at fork)"
)


@dataclass
class Child:
    """One finished child process."""

    args: list[str]
    returncode: int
    wall_s: float
    peak_rss_mb: float
    stdout: str
    stderr: str

    def check(self) -> Child:
        """Raise with the child's output when it failed (exit status other than 0)."""
        if self.returncode != 0:
            raise RuntimeError(
                f"{' '.join(self.args[:4])}... exited {self.returncode}:\n{self.stderr[-3000:]}"
            )
        return self


def run(
    args: list[str], env: dict[str, str] | None = None, stdout_path: Path | None = None
) -> Child:
    """Run ``args`` from the project root and return its figures.

    ``stdout_path``: write standard output there instead of capturing it (large output).
    """
    with (
        tempfile.TemporaryFile("w+") as err,
        tempfile.TemporaryFile("w+") as out,
        tempfile.NamedTemporaryFile("r") as rss,
    ):
        target = open(stdout_path, "w") if stdout_path else out  # noqa: SIM115
        command = [GNU_TIME, "-f", "%M", "-o", rss.name, *args] if GNU_TIME else args
        try:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=target, stderr=err, env={**os.environ, **(env or {})}
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout_path:
                target.close()
        out.seek(0)
        err.seek(0)
        peak_kb = _gnu_time_kb(rss.read()) if GNU_TIME else usage.ru_maxrss
        return Child(args, process.returncode, wall, peak_kb / 1024, out.read(), err.read())


def _gnu_time_kb(report: str) -> int:
    """The last line of GNU time's ``-o`` file (it starts with a note when the command
    was killed by a signal or exited non-zero)."""
    return int(report.strip().splitlines()[-1])


def python(*args: str, **kwargs) -> Child:
    """Run ``python ARGS`` with this interpreter (the project's virtualenv)."""
    return run([sys.executable, *args], **kwargs)
