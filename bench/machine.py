"""The machine a benchmark ran on, printed with every result so numbers carry their context."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        out = subprocess.run(["free", "-h"], capture_output=True, text=True, check=True).stdout
        return out.splitlines()[1].split()[1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def describe() -> str:
    """One line: CPUs, CPU model, memory, Python, spaCy, Ray (when installed), load."""
    import spacy

    parts = [
        f"nproc={os.cpu_count()}",
        f"cpu={cpu_model()}",
        f"mem={memory_total()}",
        f"python={sys.version.split()[0]}",
        f"spacy={spacy.__version__}",
    ]
    try:
        import ray

        parts.append(f"ray={ray.__version__}")
    except ImportError:
        pass
    parts.append("loadavg=" + "/".join(f"{x:.1f}" for x in os.getloadavg()))
    return "machine: " + ", ".join(parts)


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
