"""Is a data directory empty enough to restore into? (No Django here: ./zt asks before Django starts,
because starting Django writes a fresh secret key and log file into ZT_DATA_DIR.)"""

from pathlib import Path

# No files outside ``backups/`` (where the daily backups are, and from where one is often restored); empty
# sub-directories are what the platform itself makes when it starts.
IGNORED_IN_EMPTY = {"backups"}


def nonempty_entries(data_dir: Path) -> list[str]:
    """Entries of ``data_dir`` that hold data (a directory is listed when some file lies beneath it)."""
    if not data_dir.exists():
        return []
    found = []
    for entry in sorted(data_dir.iterdir()):
        if entry.name in IGNORED_IN_EMPTY and entry.is_dir():
            continue
        if entry.is_dir() and not entry.is_symlink():
            if any(p.is_file() or p.is_symlink() for p in entry.rglob("*")):
                found.append(entry.name + "/")
        else:
            found.append(entry.name)
    return found
