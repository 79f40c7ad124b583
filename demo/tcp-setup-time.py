#!/usr/bin/env python3
"""TCP connection setup time against round trips on the established connection, for the demo lab.

  tcp-setup-time.py serve PORT                 echo server (run in the destination namespace)
  tcp-setup-time.py probe IP PORT CONNECTIONS  prints "connect_ms rtt_ms" per connection

Every connection has a new source port, so its SYN is a new connection for the controller (a PacketIn, flows for
both directions, a PacketOut): the connect time is the first-packet cost. The round trips that follow (20 one-byte
echoes, median) run on the flows that first packet installed: the same path without the controller.
"""
import socket
import statistics
import sys
import threading
import time


def serve(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port))
    listener.listen(64)

    def echo(conn):
        with conn:
            while True:
                data = conn.recv(64)
                if not data:
                    return
                conn.sendall(data)

    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def probe(ip, port, connections):
    for _ in range(connections):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(5)
        start = time.perf_counter()
        s.connect((ip, port))
        connect_ms = (time.perf_counter() - start) * 1000
        rtts = []
        for _ in range(20):
            start = time.perf_counter()
            s.sendall(b"x")
            s.recv(1)
            rtts.append((time.perf_counter() - start) * 1000)
        s.close()
        print(f"{connect_ms:.3f} {statistics.median(rtts):.3f}", flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        probe(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
