"""Drive a real program in tmux at a fixed size: send keys, wait for text, read the screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path


def tmux_missing() -> bool:
    """True when tmux is not installed."""
    return shutil.which("tmux") is None


class TmuxTerminal:
    """One program in a private tmux server (its own socket), 80x24 by default."""

    def __init__(
        self,
        command: list[str],
        *,
        width: int = 80,
        height: int = 24,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.socket = f"akut-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"{exports} exec {shlex.join(command)}" if exports else f"exec {shlex.join(command)}"
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                str(width),
                "-y",
                str(height),
                "-s",
                "main",
                line,
            ],
            check=True,
            cwd=cwd,
        )

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def screen(self) -> str:
        """The visible screen as text, one line per row."""
        return self._tmux("capture-pane", "-p", "-t", "main")

    def send(self, *keys: str, pause: float = 0.15) -> None:
        """Send tmux key names or literal text, one argument at a time."""
        for key in keys:
            self._tmux("send-keys", "-t", "main", key)
            time.sleep(pause)

    def burst(self, *keys: str) -> None:
        """Send tmux key names in one write, as a fast typist or a slow link delivers them."""
        self._tmux("send-keys", "-t", "main", *keys)
        time.sleep(0.15)

    def pid(self) -> int:
        """The process id of the program (started with ``exec``, so the pane's own)."""
        return int(self._tmux("list-panes", "-t", "main", "-F", "#{pane_pid}").split()[0])

    def tmux_sessions(self) -> str:
        """The tmux sessions left (empty once the program has ended)."""
        return self._tmux("list-sessions", "-F", "#{session_name}")

    def type(self, text: str) -> None:
        """Type ``text`` literally."""
        self._tmux("send-keys", "-t", "main", "-l", text)
        time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Wait until ``text`` is on screen; return the screen. Raise on timeout."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def settle(self, quiet: float = 0.4, timeout: float = 5.0) -> str:
        """Wait until the screen stops changing for ``quiet`` seconds; return it."""
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last

    def record_output(self, path: Path | None) -> None:
        """Append every byte the program writes to ``path`` (``None``: stop recording).

        tmux's ``pipe-pane -O`` copies the program's output before tmux draws it,
        so the file holds exactly what a terminal on the other end would receive.
        """
        if path is None:
            self._tmux("pipe-pane", "-t", "main")
        else:
            self._tmux("pipe-pane", "-O", "-t", "main", f"cat >> {shlex.quote(str(path))}")

    def close(self) -> None:
        """Kill the tmux server and the program in it."""
        self._tmux("kill-server")
