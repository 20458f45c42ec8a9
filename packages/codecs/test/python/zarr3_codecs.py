# Zarr v3 registration of pymecompress's numcodecs codecs for zarr-python >= 3.1 (pymecompress
# 0.3.6 registers them for Zarr v2 only). docs/FORMAT.md "Zarr v3" prints this file verbatim
# (test/zarr-v3-python.test.ts checks that), and the interop test imports it as is.
import numcodecs
import numpy as np
import pymecompress.codecs  # noqa: F401  (registers pymecompress-huffman/-quant16 with numcodecs)
from zarr.abc.codec import BytesBytesCodec
from zarr.registry import register_codec


class PymecompressV3Codec(BytesBytesCodec):
    """A numcodecs codec as a Zarr v3 bytes-to-bytes codec named "numcodecs.<id>"."""

    codec_id = ""  # the numcodecs id, set by each subclass
    is_fixed_size = False

    def __init__(self, **configuration):
        object.__setattr__(self, "configuration", dict(configuration))
        codec = numcodecs.get_codec({"id": self.codec_id, **configuration})
        object.__setattr__(self, "codec", codec)

    @classmethod
    def from_dict(cls, data):
        return cls(**(data.get("configuration") or {}))

    def to_dict(self):
        return {"name": "numcodecs." + self.codec_id, "configuration": dict(self.configuration)}

    def compute_encoded_size(self, input_byte_length, chunk_spec):
        raise NotImplementedError  # variable-size output

    def encode_input(self, raw, chunk_spec):
        # The chunk's bytes, as the codec wants them (Huffman: the bytes themselves, so the
        # trailer counts bytes and any reader recovers the whole chunk).
        return raw

    async def _encode_single(self, chunk_bytes, chunk_spec):
        raw = chunk_bytes.as_numpy_array().view(np.uint8).reshape(-1)
        out = self.codec.encode(self.encode_input(raw, chunk_spec))
        return chunk_spec.prototype.buffer.from_bytes(np.asarray(out).tobytes())

    async def _decode_single(self, chunk_bytes, chunk_spec):
        out = self.codec.decode(chunk_bytes.as_numpy_array().view(np.uint8).reshape(-1))
        data = np.ascontiguousarray(out)
        return chunk_spec.prototype.buffer.from_bytes(data.view(np.uint8).reshape(-1).tobytes())


def chunk_dtype(chunk_spec):
    dtype = chunk_spec.dtype  # zarr >= 3.1: a ZDType
    return dtype.to_native_dtype() if hasattr(dtype, "to_native_dtype") else np.dtype(dtype)


class PymecompressHuffman(PymecompressV3Codec):
    codec_id = "pymecompress-huffman"


class PymecompressQuant16(PymecompressV3Codec):
    codec_id = "pymecompress-quant16"

    def encode_input(self, raw, chunk_spec):
        return raw.view("<u2")  # quantizes uint16 values, not bytes


class PymePzf(PymecompressV3Codec):
    # Needs a numcodecs codec "pyme-pzf": PYME's PYME.IO.zarr_compat registers one (read-only).
    codec_id = "pyme-pzf"

    def encode_input(self, raw, chunk_spec):
        return raw.view(chunk_dtype(chunk_spec)).reshape(chunk_spec.shape)


for cls in (PymecompressHuffman, PymecompressQuant16, PymePzf):
    register_codec("numcodecs." + cls.codec_id, cls)
