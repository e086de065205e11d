"""A drop folder for wire files: take each new file once, file it under done/ or failed/.

Several watchers (processes, machines sharing the folder) may watch one folder:
a file is claimed by renaming it into ``.claimed/`` under a name that carries the
claimant's host and process id. A rename is atomic, so exactly one watcher wins
each file; the others find it gone and move on. A claim whose process has died
(a crash, a kill) is put back at the next start, so no file is ever lost; and
taking a story in twice is harmless anyway (the same identity and version change
nothing). A failed file is moved to ``failed/`` with ``<name>.reason.txt`` beside it.
"""

import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

CLAIMED, DONE, FAILED = ".claimed", "done", "failed"
SEPARATOR = "~"


class DropFolder:
    def __init__(self, root: Path):
        self.root = root
        self.owner = f"{socket.gethostname()}{SEPARATOR}{os.getpid()}"
        for name in (CLAIMED, DONE, FAILED):
            (root / name).mkdir(parents=True, exist_ok=True)

    def waiting(self) -> list[Path]:
        """Files waiting to be taken, oldest first (hidden and partial files left alone)."""
        files = [
            path
            for path in self.root.iterdir()
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".part")
        ]
        return sorted(files, key=lambda path: (path.stat().st_mtime, path.name))

    def claim(self, path: Path) -> Path | None:
        """Our own copy of ``path`` to work on, or None if another watcher took it first."""
        claimed = self.root / CLAIMED / f"{self.owner}{SEPARATOR}{path.name}"
        try:
            path.rename(claimed)
        except FileNotFoundError:
            return None
        return claimed

    def finish(self, claimed: Path, *, failure: str | None = None) -> Path:
        name = claimed.name.split(SEPARATOR, 2)[2]
        target = self._free(self.root / (FAILED if failure else DONE), name)
        if failure:
            target.with_name(target.name + ".reason.txt").write_text(failure + "\n", "utf-8")
        claimed.rename(target)
        return target

    def recover(self) -> list[Path]:
        """Put back the claims of this host's processes that are no longer running."""
        host = socket.gethostname()
        returned = []
        for claimed in (self.root / CLAIMED).iterdir():
            parts = claimed.name.split(SEPARATOR, 2)
            if len(parts) != 3 or parts[0] != host or _running(int(parts[1])):
                continue
            target = self._free(self.root, parts[2])
            claimed.rename(target)
            returned.append(target)
        return returned

    def take(self, handle: Callable[[Path], str | None]) -> Iterator[tuple[Path, str | None]]:
        """Claim and handle every waiting file; ``handle`` returns None or why it failed."""
        for path in self.waiting():
            claimed = self.claim(path)
            if claimed is None:
                continue
            failure = handle(claimed)
            yield self.finish(claimed, failure=failure), failure

    @staticmethod
    def _free(folder: Path, name: str) -> Path:
        """``folder/name``, or a dated variant of it if a file of that name is there already."""
        target = folder / name
        if not target.exists():
            return target
        stamp = time.strftime("%Y%m%d-%H%M%S")
        n = 1
        while (candidate := folder / f"{stamp}-{n}-{name}").exists():
            n += 1
        return candidate


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
