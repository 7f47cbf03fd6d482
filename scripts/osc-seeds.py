#!/usr/bin/env python3
"""Writes OSC datagrams as fuzzing seeds: feedback Ardour and REAPER send, and a bundle."""
import struct
import sys
from pathlib import Path


def pad(data: bytes) -> bytes:
    return data + b"\0" * (4 - len(data) % 4)


def message(address: str, *args) -> bytes:
    tags, payload = ",", b""
    for a in args:
        if isinstance(a, int):
            tags += "i"
            payload += struct.pack(">i", a)
        elif isinstance(a, float):
            tags += "f"
            payload += struct.pack(">f", a)
        else:
            tags += "s"
            payload += pad(a.encode())
    return pad(address.encode()) + pad(tags.encode()) + payload


def bundle(*messages: bytes) -> bytes:
    out = pad(b"#bundle") + struct.pack(">Q", 1)
    for m in messages:
        out += struct.pack(">i", len(m)) + m
    return out


seeds = {
    "strip_gain": message("/strip/gain", 3, -6.5),
    "strip_name": message("/strip/name", 3, "Lead Vox"),
    "strip_list": message("/reply", "AT", "Kick In", 1, 1, 0, 0, 1, 0),
    "heartbeat": message("/heartbeat", 1.0),
    "reaper_volume": message("/track/2/volume/db", -3.0),
    "reaper_name": message("/track/2/name", "Bass DI"),
    "bundle": bundle(message("/strip/mute", 1, 1), message("/strip/pan_stereo_position", 1, 0.25)),
}
target = Path(sys.argv[1])
target.mkdir(parents=True, exist_ok=True)
for name, data in seeds.items():
    (target / name).write_bytes(data)
