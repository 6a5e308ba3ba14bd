#!/usr/bin/env python3
"""Drives luksfit's passphrase prompt through a real pseudo-terminal, the way a person at a
shell would, and reports what the terminal and the process are left with.

    pty_prompt.py MODE DIR -- COMMAND...

A "shell" process (session leader, controlling terminal = the pty) runs COMMAND in its own
foreground process group, in DIR, with core dumps allowed (RLIMIT_CORE unlimited); once
COMMAND has ended, the shell takes the terminal back and reads what is left in its input
queue, as the next program would. MODE:

  overlong     type a 600-character line at the prompt
  signal:NAME  send SIGNAME to COMMAND while it waits at the prompt (INT, TERM, HUP, QUIT)
  tstp         SIGTSTP at the prompt, then SIGCONT, then type the passphrase (twice)

Every wait is for a condition (bounded by a deadline), never a fixed sleep. Prints one
"ok: ..." or "FAIL: ..." line per expectation; exits 1 if any failed, 2 on a usage error.
"""
import errno
import fcntl
import os
import resource
import select
import signal
import sys
import termios
import time

DEADLINE = 60.0
PASSPHRASE = b"pty-passphrase"


class Session:
    def __init__(self, command, folder):
        self.out = b""
        self.info = b""
        self.master, slave = os.openpty()
        info_r, info_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(self.master)
            os.close(info_r)
            shell(slave, info_w, command, folder)
        os.close(slave)
        os.close(info_w)
        self.shell_pid = pid
        self.info_fd = info_r
        if not self.wait_for(lambda: b"pid " in self.info):
            raise SystemExit("FAIL: the shell never started the command")
        self.pid = int(self.info.split(b"pid ")[1].split()[0])

    def pump(self, timeout):
        fds = [fd for fd in (self.master, self.info_fd) if fd >= 0]
        ready, _, _ = select.select(fds, [], [], timeout)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError as e:
                if e.errno != errno.EIO:  # EIO: the slave side is closed
                    raise
                data = b""
            if fd == self.master:
                self.out += data
                if not data:
                    self.master_closed()
            else:
                self.info += data
                if not data:
                    os.close(self.info_fd)
                    self.info_fd = -1

    def master_closed(self):
        os.close(self.master)
        self.master = -1

    def wait_for(self, condition, timeout=DEADLINE):
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                return False
            if self.master < 0 and self.info_fd < 0:
                return condition()
            self.pump(0.05)
        return True

    def echo_on(self):
        if self.master < 0:
            return True  # gone: no prompt is waiting
        return bool(termios.tcgetattr(self.master)[3] & termios.ECHO)

    def prompts(self):
        return self.out.count(b"Enter passphrase")

    def at_prompt(self, count=1):
        return self.wait_for(lambda: self.prompts() >= count and not self.echo_on())

    def result(self):
        """The command's wait status, and the shell's findings once it had ended."""
        if not self.wait_for(lambda: b"leftover " in self.info):
            raise SystemExit("FAIL: the command did not end:\n" + self.out.decode(errors="replace"))
        os.waitpid(self.shell_pid, 0)
        fields = self.info.split()
        values = {fields[i].decode(): int(fields[i + 1]) for i in range(0, len(fields) - 1, 2)}
        return values["status"], values["echo"], values["leftover"]


def shell(slave, info_w, command, folder):
    """The child: a minimal job-control shell around COMMAND. Never returns."""
    try:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # to take the terminal back later
        pid = os.fork()
        if pid == 0:
            os.setpgid(0, 0)
            os.tcsetpgrp(0, os.getpgrp())
            signal.signal(signal.SIGTTOU, signal.SIG_DFL)
            hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
            resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
            os.chdir(folder)
            os.execvp(command[0], command)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child did it first
        os.write(info_w, b"pid %d\n" % pid)
        _, status = os.waitpid(pid, 0)
        os.tcsetpgrp(0, os.getpgrp())
        echo = bool(termios.tcgetattr(0)[3] & termios.ECHO)
        fcntl.fcntl(0, fcntl.F_SETFL, fcntl.fcntl(0, fcntl.F_GETFL) | os.O_NONBLOCK)
        try:
            leftover = len(os.read(0, 65536))
        except BlockingIOError:
            leftover = 0
        os.write(info_w, b"status %d echo %d leftover %d\n" % (status, echo, leftover))
    finally:
        os._exit(0)


FAILED = []


def expect(what, ok, detail=""):
    print(("ok: " if ok else "FAIL: ") + what + (f" ({detail})" if detail and not ok else ""))
    if not ok:
        FAILED.append(what)


def describe(status):
    if os.WIFSIGNALED(status):
        core = ", core dumped" if os.WCOREDUMP(status) else ""
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}{core}"
    return f"exit {os.WEXITSTATUS(status)}"


def proc_state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def non_dumpable_check(s):
    """Under another uid, /proc/PID/status belongs to root exactly when the process is not
    dumpable (the kernel's task_dump_owner()); as root that cannot be told apart."""
    with open(f"/proc/{s.pid}/status") as f:
        uid = int(next(line for line in f if line.startswith("Uid:")).split()[2])
    if uid == 0:
        print("note: runs as root, so /proc cannot show dumpability; run it under setpriv")
        return
    owner = os.stat(f"/proc/{s.pid}/status").st_uid
    expect("at the prompt: not dumpable (/proc/PID/status owned by root, not uid %d)" % uid,
           owner == 0, f"owned by {owner}")


def run_overlong(s):
    expect("the prompt is reached with echo off", s.at_prompt())
    os.write(s.master, b"a" * 600 + b"\n")
    status, echo, leftover = s.result()
    expect("over-long passphrase: exit 1", describe(status) == "exit 1", describe(status))
    expect("over-long passphrase: says why", b"longer than 512" in s.out, s.out[-300:])
    expect("over-long passphrase: nothing left for the next reader", leftover == 0,
           f"{leftover} bytes were")
    expect("over-long passphrase: echo restored", echo == 1)


def run_signal(s, name, folder):
    sig = signal.Signals["SIG" + name]
    expect("the prompt is reached with echo off", s.at_prompt())
    non_dumpable_check(s)
    os.kill(s.pid, sig)
    status, echo, leftover = s.result()
    expect(f"SIG{name}: ended by it, no core dump", describe(status) == f"killed by SIG{name}",
           describe(status))
    expect(f"SIG{name}: says so", f"interrupted by {name}".encode() in s.out, s.out[-300:])
    expect(f"SIG{name}: echo restored", echo == 1)
    expect(f"SIG{name}: nothing left for the next reader", leftover == 0)
    cores = [f for f in os.listdir(folder) if f.startswith("core")]
    expect(f"SIG{name}: no core file", not cores, ", ".join(cores))


def run_tstp(s):
    expect("the prompt is reached with echo off", s.at_prompt())
    os.kill(s.pid, signal.SIGTSTP)
    stopped = s.wait_for(lambda: proc_state(s.pid) == "T")
    expect("SIGTSTP: stopped", stopped)
    expect("SIGTSTP: echo on while stopped", stopped and s.echo_on())
    os.kill(s.pid, signal.SIGCONT)
    expect("SIGCONT: asks again, echo off", s.at_prompt(2))
    os.write(s.master, PASSPHRASE + b"\n")
    expect("the second prompt", s.wait_for(
        lambda: b"Verify passphrase" in s.out and not s.echo_on()))
    os.write(s.master, PASSPHRASE + b"\n")
    status, echo, _ = s.result()
    expect("after SIGTSTP and SIGCONT the command completes", describe(status) == "exit 0",
           describe(status) + " " + s.out[-300:].decode(errors="replace"))
    expect("the passphrase was never echoed", PASSPHRASE not in s.out)
    expect("echo restored at the end", echo == 1)


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__)
        return 2
    mode, folder, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    s = Session(command, folder)
    if mode == "overlong":
        run_overlong(s)
    elif mode.startswith("signal:"):
        run_signal(s, mode.split(":", 1)[1], folder)
    elif mode == "tstp":
        run_tstp(s)
    else:
        print(__doc__)
        return 2
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
