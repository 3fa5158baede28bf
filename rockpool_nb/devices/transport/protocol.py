"""Wire format of the device protocol: length-prefixed frames of JSON plus raw arrays.

A frame is::

    b"RPNB" | uint32 body length | uint32 header length | header (UTF-8 JSON) | array bytes

The header is a JSON object; its ``"arrays"`` entry lists ``{"name", "dtype", "shape"}`` of the
arrays whose bytes follow, in order (C order, little-endian). Only boolean, integer and float
dtypes are accepted: nothing is ever unpickled.
"""

from __future__ import annotations

import json
import struct

import numpy as np

__all__ = [
    "MAGIC",
    "PROTOCOL_VERSION",
    "DEFAULT_MAX_FRAME",
    "ProtocolError",
    "encode",
    "decode_body",
    "read_prefix",
]

MAGIC = b"RPNB"
PROTOCOL_VERSION = 1
DEFAULT_MAX_FRAME = 64 * 2**20  # bytes
_PREFIX = struct.Struct(">4sI")
_HEADER_LEN = struct.Struct(">I")
_DTYPES = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
}


class ProtocolError(ValueError):
    """A frame that is malformed, too large or of an unknown kind."""


def encode(header: dict, arrays: dict[str, np.ndarray] | None = None) -> bytes:
    """One frame carrying ``header`` and ``arrays``."""
    arrays = arrays or {}
    descr, chunks = [], []
    for name, value in arrays.items():
        array = np.asarray(value, order="C")
        dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
        if dtype.name not in _DTYPES:
            raise ProtocolError(
                f"arrays[{name!r}]: expected a bool, int or float array; got {dtype}"
            )
        array = array.astype(dtype.newbyteorder("<"), copy=False)
        descr.append({"name": name, "dtype": dtype.name, "shape": list(array.shape)})
        chunks.append(array.tobytes())
    head = json.dumps({**header, "arrays": descr}, separators=(",", ":")).encode()
    body = _HEADER_LEN.pack(len(head)) + head + b"".join(chunks)
    return _PREFIX.pack(MAGIC, len(body)) + body


def read_prefix(prefix: bytes, max_frame: int = DEFAULT_MAX_FRAME) -> int:
    """Validate the 8-byte frame prefix; return the body length."""
    if len(prefix) != _PREFIX.size:
        raise ProtocolError(f"frame prefix: expected {_PREFIX.size} bytes; got {len(prefix)}")
    magic, length = _PREFIX.unpack(prefix)
    if magic != MAGIC:
        raise ProtocolError(
            f"frame: expected magic {MAGIC!r}; got {magic!r} (not a rockpool_nb client?)"
        )
    if length > max_frame:
        raise ProtocolError(
            f"frame: message of {length} bytes exceeds the limit of {max_frame} bytes"
        )
    return length


def decode_body(body: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """Header dict and named arrays of one frame body."""
    if len(body) < _HEADER_LEN.size:
        raise ProtocolError("frame: body shorter than its header length field")
    (hlen,) = _HEADER_LEN.unpack_from(body)
    if hlen > len(body) - _HEADER_LEN.size:
        raise ProtocolError(f"frame: header length {hlen} exceeds the body ({len(body)} bytes)")
    try:
        header = json.loads(body[_HEADER_LEN.size : _HEADER_LEN.size + hlen].decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ProtocolError(f"frame: header is not valid JSON ({err})") from None
    if not isinstance(header, dict):
        raise ProtocolError(f"frame: header must be a JSON object; got {type(header).__name__}")
    arrays, offset = {}, _HEADER_LEN.size + hlen
    descr = header.pop("arrays", [])
    if not isinstance(descr, list):
        raise ProtocolError("frame: 'arrays' must be a list")
    for item in descr:
        try:
            name, dtype, shape = item["name"], item["dtype"], tuple(int(s) for s in item["shape"])
        except (KeyError, TypeError, ValueError):
            raise ProtocolError(f"frame: bad array description {item!r}") from None
        if dtype not in _DTYPES or any(s < 0 for s in shape):
            raise ProtocolError(f"arrays[{name!r}]: unsupported dtype {dtype!r} or shape {shape}")
        dt = np.dtype(dtype).newbyteorder("<")
        nbytes = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
        if offset + nbytes > len(body):
            raise ProtocolError(f"arrays[{name!r}]: frame truncated ({nbytes} bytes announced)")
        arrays[name] = (
            np.frombuffer(body, dtype=dt, count=nbytes // dt.itemsize, offset=offset)
            .reshape(shape)
            .astype(dt.newbyteorder("="))
        )
        offset += nbytes
    if offset != len(body):
        raise ProtocolError(f"frame: {len(body) - offset} unexpected trailing bytes")
    return header, arrays
