"""Tokens and timing: what keeps a booking private."""

from __future__ import annotations

import time

from webinar.security import hash_token, minimum_duration, new_token


def test_a_fast_block_is_padded_to_the_floor() -> None:
    started = time.perf_counter()

    with minimum_duration(30):
        pass

    assert time.perf_counter() - started >= 0.030


def test_a_slow_block_is_not_slowed_further() -> None:
    started = time.perf_counter()

    with minimum_duration(1):
        time.sleep(0.02)

    assert time.perf_counter() - started < 0.5


def test_tokens_are_random_and_only_their_hash_is_kept() -> None:
    tokens = {new_token() for _ in range(100)}

    assert len(tokens) == 100
    assert all(len(token) >= 43 for token in tokens)
    token = tokens.pop()
    assert hash_token(token) != token and len(hash_token(token)) == 64
