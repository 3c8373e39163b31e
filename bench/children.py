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
import threading
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
    #: CPU seconds (user + system) of the child and every descendant it waited for.
    cpu_s: float = 0.0
    #: Peak of the summed RSS of the child and its descendants (sampled every 0.5 s;
    #: 0 without /proc): a crawl with page-reading workers is several processes.
    tree_peak_rss_mb: float = 0.0

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
            sampler = TreeRss(process.pid)
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            sampler.stop()
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout_path:
                target.close()
        out.seek(0)
        err.seek(0)
        peak_kb = _gnu_time_kb(rss.read()) if GNU_TIME else usage.ru_maxrss
        return Child(
            args,
            process.returncode,
            wall,
            peak_kb / 1024,
            out.read(),
            err.read(),
            cpu_s=usage.ru_utime + usage.ru_stime,
            tree_peak_rss_mb=sampler.peak_kb / 1024,
        )


class TreeRss:
    """Sample the summed RSS of a process and its descendants until stopped (the
    ``time`` wrapper's own few hundred KB included).

    One sample walks all of ``/proc`` (about 3 ms of CPU, holding the GIL of the
    benchmark process, which also serves the fixture site): every 0.5 s keeps that
    below 1 % of a core, so the sampler does not slow the crawl it measures."""

    def __init__(self, root: int, interval: float = 0.5) -> None:
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if Path("/proc/self/status").exists():
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in self._tree()))

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        tree, found = {self.root}, True
        while found:
            found = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    found = True
        return sorted(tree)


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _gnu_time_kb(report: str) -> int:
    """The last line of GNU time's ``-o`` file (it starts with a note when the command
    was killed by a signal or exited non-zero)."""
    return int(report.strip().splitlines()[-1])


def python(*args: str, **kwargs) -> Child:
    """Run ``python ARGS`` with this interpreter (the project's virtualenv)."""
    return run([sys.executable, *args], **kwargs)
