"""Ports for servers a test starts of its own (gunicorn, Redis, a mail server that never
answers), chosen by the system so they collide with nothing already listening."""

import socket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
