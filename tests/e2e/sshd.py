"""A throw-away OpenSSH server whose ForceCommand runs Akut, for tests and benchmarks.

It mirrors ``docs/deploy-ssh.md`` as far as one unprivileged machine allows: the
same ``Match``-block settings (ForceCommand, DisableForwarding, no user
environment, no AcceptEnv), a wrapper that starts Akut with a clean environment
and an explicit ``--config``, but no service user and no sudo: sshd runs as the
current user and lets only that user in, with a key generated here.

Import by path where ``tests`` is not a package on ``sys.path`` (the benchmark does).
This module imports only the standard library.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SSHD = "/usr/sbin/sshd"
PASSWORD = "korrekt hest batteri klips"
STAFF_USER = "bo"


def missing_tools(*extra: str) -> list[str]:
    """Names of the programs this server (and its clients) need that are not installed."""
    missing = [] if os.access(SSHD, os.X_OK) else [SSHD]
    missing += [tool for tool in ("ssh", "ssh-keygen", *extra) if shutil.which(tool) is None]
    return missing


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def akut_command() -> list[str]:
    """The ``akut`` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "akut"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "akut_tui"]


@dataclass
class SshServer:
    """An sshd on 127.0.0.1 whose every session is ``akut --config <tmp>/config.toml``."""

    root: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    akut: list[str] = field(default_factory=akut_command)

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def database(self) -> Path:
        return self.root / "data" / "akut.db"

    @property
    def client_key(self) -> Path:
        return self.root / "client_key"

    @property
    def commands_log(self) -> Path:
        """One line per ForceCommand run: the command the client asked for, or ``(none)``."""
        return self.root / "commands.log"

    @property
    def log(self) -> Path:
        return self.root / "sshd.log"

    def app_env(self) -> dict[str, str]:
        """The clean environment the wrapper gives Akut (also used for ``akut user add``)."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8",
            "XDG_DATA_HOME": str(self.root / "xdg"),
            "AKUT_ERROR_LOG": str(self.root / "akut-errors.log"),
        }

    # --- set-up ---------------------------------------------------------------------

    def prepare(self) -> None:
        """Write keys, Akut's config and database with one staff user, wrapper and sshd_config."""
        for sub in ("data", "home", "xdg", "upload"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.config.write_text(
            f'[database]\nurl = "sqlite:///{self.database}"\n'
            "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\n"
            "argon2_parallelism = 1\n",
            encoding="utf-8",
        )
        subprocess.run(
            [*self.akut, "--config", str(self.config), "init"],
            env=self.app_env(),
            cwd=self.root,
            check=True,
            capture_output=True,
            timeout=60,
        )
        subprocess.run(
            [*self.akut, "--config", str(self.config), "user", "add", STAFF_USER]
            + ["--role", "medarbejder", "--password-stdin"],
            input=(PASSWORD + "\n").encode(),
            env=self.app_env(),
            cwd=self.root,
            check=True,
            capture_output=True,
            timeout=60,
        )
        for name in ("host_key", "client_key"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name]
                + ["-f", str(self.root / name)],
                check=True,
                capture_output=True,
                timeout=30,
            )
        (self.root / "authorized_keys").write_bytes((self.root / "client_key.pub").read_bytes())
        self._write_wrapper()
        self._write_sshd_config()

    def _write_wrapper(self) -> None:
        # Same shape as /usr/local/bin/akut-session in docs/deploy-ssh.md.
        env = " ".join(shlex.quote(f"{k}={v}") for k, v in self.app_env().items())
        akut = " ".join(shlex.quote(part) for part in self.akut)
        log = shlex.quote(str(self.commands_log))
        wrapper = self.root / "akut-session"
        wrapper.write_text(
            "#!/bin/sh\n"
            "# Test copy of akut-session: a terminal is required, the environment is\n"
            "# rebuilt from nothing, and the client's command is ignored (logged here\n"
            "# only so that the test can tell that ForceCommand ran).\n"
            f'printf "%s\\n" "${{SSH_ORIGINAL_COMMAND:-(none)}}" >> {log}\n'
            "if [ ! -t 0 ] || [ ! -t 1 ]; then\n"
            '  echo "akut: kræver en terminal (ssh -t)" >&2\n'
            "  exit 2\n"
            "fi\n"
            f"cd {shlex.quote(str(self.root / 'home'))} || exit 1\n"
            f'exec env -i {env} TERM="${{TERM:-xterm-256color}}" '
            f"{akut} --config {shlex.quote(str(self.config))}\n",
            encoding="utf-8",
        )
        wrapper.chmod(0o755)

    def _write_sshd_config(self) -> None:
        self.port = free_port()
        lines = [
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.root / 'host_key'}",
            f"PidFile {self.root / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.root / 'authorized_keys'}",
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {_current_user()}",
            # What the Match block of docs/deploy-ssh.md sets:
            f"ForceCommand {self.root / 'akut-session'}",
            "DisableForwarding yes",
            "AllowTcpForwarding no",
            "X11Forwarding no",
            "PermitTunnel no",
            "PermitUserEnvironment no",
            "PermitTTY yes",
            "ClientAliveInterval 30",
            "ClientAliveCountMax 4",
            "Compression yes",
            # Offered so that the test shows ForceCommand overrides it:
            "Subsystem sftp internal-sftp",
            "LogLevel ERROR",
        ]
        (self.root / "sshd_config").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # --- life cycle -----------------------------------------------------------------

    def start(self, limit: float = 15.0) -> None:
        """Start sshd in the foreground of a child process; wait until the port accepts."""
        privsep = Path("/run/sshd")  # sshd refuses to start without it
        if not privsep.is_dir():
            privsep.mkdir(mode=0o755, parents=True)
        cfg = str(self.root / "sshd_config")
        check = subprocess.run([SSHD, "-t", "-f", cfg], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"sshd -t rejected the config: {check.stderr.strip()}")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", cfg],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + limit
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.log.read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("sshd never accepted connections") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the listener and every session it started (they share its process group)."""
        if self.proc is None:
            return
        for pid in self.akut_pids() + child_pids(self.proc.pid):
            _kill(pid)
        try:
            os.killpg(self.proc.pid, 15)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait(timeout=5)
        self.proc = None

    def akut_pids(self) -> list[int]:
        """Pids of running processes started with this server's Akut config."""
        wanted = [b"--config", str(self.config).encode()]
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(argv[i : i + 2] == wanted for i in range(len(argv) - 1)):
                pids.append(int(entry.name))
        return pids

    # --- clients --------------------------------------------------------------------

    def ssh_options(self) -> list[str]:
        """Client options: only our key, no agent, no user config, no host-key prompt."""
        return [
            "-F",
            "/dev/null",
            "-i",
            str(self.client_key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
        ]

    def ssh(self, *args: str) -> list[str]:
        """An ``ssh`` command line for this server (``args`` go before the host)."""
        return ["ssh", *self.ssh_options(), "-p", str(self.port), *args, "127.0.0.1"]

    def sftp(self) -> list[str]:
        """An ``sftp -b -`` command line for this server."""
        return ["sftp", "-b", "-", *self.ssh_options(), "-P", str(self.port), "127.0.0.1"]


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def child_pids(parent: int) -> list[int]:
    """Pids whose parent is ``parent`` (sshd's per-connection processes)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(entry.name))
    return pids


def _kill(pid: int) -> None:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
