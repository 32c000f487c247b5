"""HiGHS prints a banner on the process's standard output when its first model is made.

In a terminal UI that banner lands on top of the screen, and in scripts it mixes with output
meant for pipes. `silence_solver_banner()` makes that first model with standard output briefly
pointed at the null device; call it once before any solving and before a UI takes the terminal.
"""

from __future__ import annotations

import os
import sys
import threading

_done = False
_lock = threading.Lock()


def silence_solver_banner() -> None:
    global _done
    with _lock:
        if _done:
            return
        _done = True
        try:
            import highspy
        except ImportError:
            return
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
