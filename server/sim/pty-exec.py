#!/usr/bin/env python3
"""Runs a command with a fresh pseudo-terminal pair; LINK becomes a symlink to the slave side.

Usage: pty-exec.py LINK -- COMMAND [ARG...]

The command inherits:
  fd 3  the pty master (the simulated printer's end),
  fd 4  the pty slave, kept open: with no slave descriptor open, reads on the master fail with EIO,
  fd 5  (when inotify is available) an inotify descriptor watching the slave for IN_OPEN and
        IN_CLOSE_WRITE / IN_CLOSE_NOWRITE, so the printer sees a host open and close the port.
The environment gets LAYERWATCH_PTY_SLAVE (the /dev/pts path) and, with inotify,
LAYERWATCH_PTY_WATCH_FD=5. The symlink is left for the command to remove on exit.
"""
import ctypes
import fcntl
import os
import sys
import tty

IN_CLOSE_WRITE = 0x08
IN_CLOSE_NOWRITE = 0x10
IN_OPEN = 0x20


def open_watch(path):
    """An inotify descriptor watching `path`, or None where inotify is unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(0)
        if fd < 0:
            return None
        if libc.inotify_add_watch(fd, path.encode(), IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0:
            os.close(fd)
            return None
        return fd
    except (OSError, AttributeError):
        return None


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print("usage: pty-exec.py LINK -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    link, command = argv[1], argv[3:]
    if os.path.lexists(link) and not os.path.islink(link):
        print(f"pty-exec.py: {link} exists and is not a symlink; not replacing it", file=sys.stderr)
        return 2
    master, slave = os.openpty()
    tty.setraw(slave)
    slave_path = os.ttyname(slave)
    tmp = f"{link}.{os.getpid()}.tmp"
    os.symlink(slave_path, tmp)
    os.replace(tmp, link)
    watch = open_watch(slave_path)
    # Park every descriptor above the targets first, so no dup2() clobbers a source still needed.
    sources = [master, slave] + ([watch] if watch is not None else [])
    parked = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in sources]
    for fd in sources:
        os.close(fd)
    for target, fd in zip((3, 4, 5), parked):
        os.dup2(fd, target)
        os.close(fd)
    env = dict(os.environ, LAYERWATCH_PTY_SLAVE=slave_path)
    if watch is not None:
        env["LAYERWATCH_PTY_WATCH_FD"] = "5"
    try:
        os.execvpe(command[0], command, env)
    except OSError as err:
        os.unlink(link)
        print(f"pty-exec.py: cannot run {command[0]}: {err}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv))
