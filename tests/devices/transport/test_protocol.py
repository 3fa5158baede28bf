import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rockpool_nb.devices.transport.protocol import (
    MAGIC,
    ProtocolError,
    decode_body,
    encode,
    read_prefix,
)


def roundtrip(header, arrays=None, max_frame=2**26):
    frame = encode(header, arrays)
    length = read_prefix(frame[:8], max_frame)
    assert length == len(frame) - 8
    return decode_body(frame[8:])


@given(
    hnp.arrays(
        dtype=st.sampled_from(
            [np.int8, np.int16, np.int32, np.int64, np.uint8, np.float32, np.float64, np.bool_]
        ),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
    )
)
def test_arrays_round_trip_exactly(array):
    header, arrays = roundtrip({"op": "x", "n": 3}, {"a": array, "b": np.arange(3)})
    assert header == {"op": "x", "n": 3}
    np.testing.assert_array_equal(arrays["a"], array)
    assert arrays["a"].dtype == array.dtype and arrays["a"].shape == array.shape
    np.testing.assert_array_equal(arrays["b"], np.arange(3))


def test_object_arrays_are_refused():
    with pytest.raises(ProtocolError, match=r"arrays\['x'\]: expected a bool, int or float"):
        encode({}, {"x": np.array([{}, 1], dtype=object)})


def test_prefix_checks():
    with pytest.raises(ProtocolError, match="magic"):
        read_prefix(b"HTTP" + struct.pack(">I", 3))
    with pytest.raises(ProtocolError, match="exceeds the limit of 100 bytes"):
        read_prefix(MAGIC + struct.pack(">I", 101), max_frame=100)


@pytest.mark.parametrize(
    "body, message",
    [
        (b"\x00", "shorter"),
        (struct.pack(">I", 50) + b"{}", "exceeds the body"),
        (struct.pack(">I", 3) + b"{x}", "not valid JSON"),
        (struct.pack(">I", 2) + b"[]", "JSON object"),
        (struct.pack(">I", 2) + b"{}" + b"junk", "trailing"),
    ],
)
def test_malformed_bodies(body, message):
    with pytest.raises(ProtocolError, match=message):
        decode_body(body)


def test_truncated_and_lying_array_descriptions():
    frame = encode({}, {"a": np.arange(10)})
    with pytest.raises(ProtocolError, match="truncated"):
        decode_body(frame[8:-8])
    head = b'{"arrays":[{"name":"a","dtype":"object","shape":[1]}]}'
    with pytest.raises(ProtocolError, match="unsupported dtype 'object'"):
        decode_body(struct.pack(">I", len(head)) + head)
