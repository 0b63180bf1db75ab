# Over 400 lines on purpose: one reader of a foreign binary format (CTranslate2's model.bin), kept whole.
"""Rebuild a Hugging Face Whisper model from a CTranslate2 Whisper model, offline.

The bot serves CTranslate2 models with faster-whisper, and the only Whisper weights we can rely on
offline are CTranslate2 ones (the bundled tiny.en). Fine-tuning needs a Hugging Face
``WhisperForConditionalGeneration``, so this module inverts ctranslate2's own converter
(``ctranslate2/converters/transformers.py``, ``WhisperLoader``) and its serializer
(``ctranslate2/specs/model_spec.py``, ``ModelSpec._serialize``). See
``shared/notes/whisper-offline.md`` for the measured mapping and the pitfalls it avoids.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import numpy as np

if TYPE_CHECKING:  # transformers loads only when an import runs
    from transformers import GenerationConfig, WhisperConfig, WhisperTokenizer

CT2_BINARY_VERSION = 6
WHISPER_SPEC_NAME = "WhisperSpec"
# Bump when the import output changes, so cached imports made by older code are not reused.
IMPORT_FORMAT_VERSION = 1
# CTranslate2 decides multilingual vs English-only by the vocabulary size (51864 for .en models).
MULTILINGUAL_VOCAB_SIZE = 51865
GELU = 3  # ctranslate2.specs.common_spec.Activation.GELU

# Order matches the DataType enum of ctranslate2 (model_spec._dtype_to_type_id).
_DTYPES: dict[int, str] = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16", 5: "bfloat16"}
_NP_DTYPES = {
    "float32": np.float32,
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "float16": np.float16,
    "bfloat16": np.uint16,  # numpy has no bfloat16: read the raw bits, widen in _to_float32
}
_LAYER_RE = re.compile(r"^(encoder|decoder)/layer_(\d+)/")
_NON_LANGUAGE_TOKENS = {
    "<|endoftext|>",
    "<|startoftranscript|>",
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nocaptions|>",
    "<|notimestamps|>",
}


# ---------------------------------------------------------------------------------------------
# model.bin reader


def read_ct2_model(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Parse a CTranslate2 Whisper ``model.bin`` into raw variables and aliases.

    Variables keep their stored dtype (int8 weights stay int8 next to their ``weight_scale``);
    scalars are 0-d arrays. Aliases map a name to the variable it shares storage with
    (ctranslate2 stores identical tensors once, e.g. the tied output projection).
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            return _read_model_bin(f, path)
    except (struct.error, UnicodeDecodeError, EOFError) as e:
        raise ValueError(f"{path}: not a CTranslate2 model (unreadable or truncated: {e})") from None


def _read_model_bin(f: BinaryIO, path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    version = _read_u32(f)
    if version == 0 or version > 100:
        raise ValueError(f"{path}: not a CTranslate2 model (bad header)")
    if version != CT2_BINARY_VERSION:
        raise ValueError(
            f"{path}: unsupported CTranslate2 binary version {version} (expected {CT2_BINARY_VERSION})"
        )
    spec_name = _read_str(f)
    if spec_name != WHISPER_SPEC_NAME:
        raise ValueError(f"{path}: not a Whisper model (CTranslate2 spec {spec_name!r})")
    _read_u32(f)  # spec revision: the layout read here is the same for all Whisper revisions
    variables: dict[str, np.ndarray] = {}
    for _ in range(_read_u32(f)):
        name, value = _read_variable(f)
        variables[name] = value
    aliases: dict[str, str] = {}
    for _ in range(_read_u32(f)):
        alias = _read_str(f)
        aliases[alias] = _read_str(f)
    if f.read(1):
        raise ValueError(f"{path}: not a CTranslate2 model (trailing bytes after the aliases)")
    return variables, aliases


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise EOFError("unexpected end of file")
    return data


def _read_u32(f: BinaryIO) -> int:
    return struct.unpack("<I", _read_exact(f, 4))[0]


def _read_str(f: BinaryIO) -> str:
    """Read a u16-length string; the length counts the trailing NUL byte."""
    length = struct.unpack("<H", _read_exact(f, 2))[0]
    if length == 0:
        raise EOFError("empty string field")
    return _read_exact(f, length)[:-1].decode("utf-8")


def _read_variable(f: BinaryIO) -> tuple[str, np.ndarray]:
    name = _read_str(f)
    rank = struct.unpack("<B", _read_exact(f, 1))[0]
    shape = struct.unpack(f"<{rank}I", _read_exact(f, 4 * rank))
    type_id = struct.unpack("<B", _read_exact(f, 1))[0]
    if type_id not in _DTYPES:
        raise EOFError(f"unknown dtype id {type_id} for {name}")
    num_bytes = _read_u32(f)
    dtype = np.dtype(_NP_DTYPES[_DTYPES[type_id]]).newbyteorder("<")
    if num_bytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise EOFError(f"size of {name} does not match its shape {shape}")
    # bytearray keeps the array writable (torch warns on read-only numpy memory).
    array = np.frombuffer(bytearray(_read_exact(f, num_bytes)), dtype=dtype).reshape(shape)
    if _DTYPES[type_id] == "bfloat16":
        array = (array.astype(np.uint32) << 16).view(np.float32)
    return name, array


# ---------------------------------------------------------------------------------------------
# CT2 variables -> Hugging Face state dict


def dequantize(variables: dict[str, np.ndarray], aliases: dict[str, str]) -> dict[str, np.ndarray]:
    """Return float32 tensors by name, aliases resolved, quantized weights dequantized.

    ctranslate2 quantizes int8 per output row (``int8 = rint(w * scale)``, conv weights flattened
    to 2-D for the scale) and int16 with one scale per tensor, so ``w = q / scale``.
    Aliases are resolved after dequantizing, because an alias (the tied projection) points at
    the quantized target and uses the target's scale.
    """
    floats: dict[str, np.ndarray] = {}
    for name, value in variables.items():
        if value.ndim == 0 or name.endswith("/weight_scale"):
            continue
        scale = variables.get(name + "_scale") if name.endswith("/weight") else None
        floats[name] = _to_float32(value, scale)
    for alias, target in aliases.items():
        if target not in floats:
            raise ValueError(f"alias {alias} points at missing variable {target}")
        floats[alias] = floats[target]
    return floats


def _to_float32(value: np.ndarray, scale: np.ndarray | None) -> np.ndarray:
    if scale is None:
        return value.astype(np.float32)
    q = value.astype(np.float32)
    if scale.ndim == 0:
        return q / np.float32(scale)
    rows = q.reshape(q.shape[0], -1) / scale.astype(np.float32)[:, None]
    return rows.reshape(q.shape)


def scalar(variables: dict[str, np.ndarray], name: str) -> int:
    """Read an integer config scalar such as ``encoder/num_heads``."""
    if name not in variables:
        raise ValueError(f"CTranslate2 model has no {name}")
    return int(variables[name])


def count_layers(names: list[str], side: str) -> int:
    """Count ``encoder/layer_N/`` blocks; a regex, since ``encoder/layer_norm`` shares the prefix."""
    numbers = {int(m.group(2)) for m in map(_LAYER_RE.match, names) if m and m.group(1) == side}
    if numbers != set(range(len(numbers))):
        raise ValueError(f"{side} layer numbers are not contiguous: {sorted(numbers)}")
    return len(numbers)


def to_hf_state_dict(t: dict[str, np.ndarray], n_enc: int, n_dec: int) -> dict[str, np.ndarray]:
    """Map CT2 Whisper tensors to ``WhisperForConditionalGeneration`` names (see the notes' table)."""
    sd: dict[str, np.ndarray] = {}
    enc, dec = "model.encoder", "model.decoder"
    for conv in ("conv1", "conv2"):
        _copy_linear(sd, f"{enc}.{conv}", t, f"encoder/{conv}")
    sd[f"{enc}.embed_positions.weight"] = t["encoder/position_encodings/encodings"]
    _copy_norm(sd, f"{enc}.layer_norm", t, "encoder/layer_norm")
    for i in range(n_enc):
        hf, ct = f"{enc}.layers.{i}", f"encoder/layer_{i}"
        _split_qkv(sd, f"{hf}.self_attn", t, f"{ct}/self_attention/linear_0")
        _copy_linear(sd, f"{hf}.self_attn.out_proj", t, f"{ct}/self_attention/linear_1")
        _copy_norm(sd, f"{hf}.self_attn_layer_norm", t, f"{ct}/self_attention/layer_norm")
        _copy_ffn(sd, hf, t, f"{ct}/ffn")
    sd[f"{dec}.embed_tokens.weight"] = t["decoder/embeddings/weight"]
    sd[f"{dec}.embed_positions.weight"] = t["decoder/position_encodings/encodings"]
    _copy_norm(sd, f"{dec}.layer_norm", t, "decoder/layer_norm")
    for i in range(n_dec):
        hf, ct = f"{dec}.layers.{i}", f"decoder/layer_{i}"
        _split_qkv(sd, f"{hf}.self_attn", t, f"{ct}/self_attention/linear_0")
        _copy_linear(sd, f"{hf}.self_attn.out_proj", t, f"{ct}/self_attention/linear_1")
        _copy_norm(sd, f"{hf}.self_attn_layer_norm", t, f"{ct}/self_attention/layer_norm")
        _copy_linear(sd, f"{hf}.encoder_attn.q_proj", t, f"{ct}/attention/linear_0")
        _split_kv(sd, f"{hf}.encoder_attn", t, f"{ct}/attention/linear_1")
        _copy_linear(sd, f"{hf}.encoder_attn.out_proj", t, f"{ct}/attention/linear_2")
        _copy_norm(sd, f"{hf}.encoder_attn_layer_norm", t, f"{ct}/attention/layer_norm")
        _copy_ffn(sd, hf, t, f"{ct}/ffn")
    sd["proj_out.weight"] = _tied_projection(t)
    return sd


def _copy_linear(sd: dict, hf: str, t: dict, ct: str) -> None:
    sd[f"{hf}.weight"] = t[f"{ct}/weight"]
    sd[f"{hf}.bias"] = t[f"{ct}/bias"]


def _copy_norm(sd: dict, hf: str, t: dict, ct: str) -> None:
    sd[f"{hf}.weight"] = t[f"{ct}/gamma"]
    sd[f"{hf}.bias"] = t[f"{ct}/beta"]


def _copy_ffn(sd: dict, hf: str, t: dict, ct: str) -> None:
    _copy_linear(sd, f"{hf}.fc1", t, f"{ct}/linear_0")
    _copy_linear(sd, f"{hf}.fc2", t, f"{ct}/linear_1")
    _copy_norm(sd, f"{hf}.final_layer_norm", t, f"{ct}/layer_norm")


def _split_qkv(sd: dict, hf: str, t: dict, ct: str) -> None:
    """Split the fused self-attention projection; the k bias slice is the converter's zero filler."""
    q, k, v = np.split(t[f"{ct}/weight"], 3)
    q_bias, _k_bias, v_bias = np.split(t[f"{ct}/bias"], 3)
    sd.update({f"{hf}.q_proj.weight": q, f"{hf}.k_proj.weight": k, f"{hf}.v_proj.weight": v})
    sd.update({f"{hf}.q_proj.bias": q_bias, f"{hf}.v_proj.bias": v_bias})


def _split_kv(sd: dict, hf: str, t: dict, ct: str) -> None:
    """Split the fused cross-attention k/v projection; HF's k_proj has no bias."""
    k, v = np.split(t[f"{ct}/weight"], 2)
    _k_bias, v_bias = np.split(t[f"{ct}/bias"], 2)
    sd.update({f"{hf}.k_proj.weight": k, f"{hf}.v_proj.weight": v, f"{hf}.v_proj.bias": v_bias})


def _tied_projection(t: dict[str, np.ndarray]) -> np.ndarray:
    """HF Whisper always ties proj_out to embed_tokens; refuse a model where they differ."""
    projection, embeddings = t["decoder/projection/weight"], t["decoder/embeddings/weight"]
    if "decoder/projection/bias" in t or not np.array_equal(projection, embeddings):
        raise ValueError("output projection is not tied to the token embeddings: unsupported")
    return embeddings


# ---------------------------------------------------------------------------------------------
# Hugging Face config, tokenizer, feature extractor, generation config


def model_dims(variables: dict[str, np.ndarray], floats: dict[str, np.ndarray]) -> dict[str, int]:
    """Read the architecture from the tensors and scalars, never from a name or a guess."""
    names = list(floats)
    if scalar(variables, "decoder/activation") != GELU or scalar(variables, "decoder/pre_norm") != 1:
        raise ValueError("decoder is not a pre-norm GELU transformer: not a standard Whisper model")
    return {
        "num_mel_bins": floats["encoder/conv1/weight"].shape[1],
        "d_model": floats["encoder/layer_norm/gamma"].shape[0],
        "encoder_layers": count_layers(names, "encoder"),
        "decoder_layers": count_layers(names, "decoder"),
        "encoder_attention_heads": scalar(variables, "encoder/num_heads"),
        "decoder_attention_heads": scalar(variables, "decoder/num_heads"),
        "encoder_ffn_dim": floats["encoder/layer_0/ffn/linear_0/weight"].shape[0],
        "decoder_ffn_dim": floats["decoder/layer_0/ffn/linear_0/weight"].shape[0],
        "vocab_size": floats["decoder/embeddings/weight"].shape[0],
        "max_source_positions": floats["encoder/position_encodings/encodings"].shape[0],
        "max_target_positions": floats["decoder/position_encodings/encodings"].shape[0],
    }


def special_ids(tokenizer: WhisperTokenizer) -> dict[str, int]:
    """Ids of Whisper's control tokens, looked up by text so any vocabulary layout works."""
    names = {
        "eot": "<|endoftext|>",
        "sot": "<|startoftranscript|>",
        "translate": "<|translate|>",
        "transcribe": "<|transcribe|>",
        "prev": "<|startofprev|>",
        "no_timestamps": "<|notimestamps|>",
    }
    ids = {key: _token_id(tokenizer, token) for key, token in names.items()}
    unknown = [names[k] for k, v in ids.items() if v is None or (v == tokenizer.unk_token_id and k != "eot")]
    if unknown:
        raise ValueError(f"tokenizer.json lacks Whisper control tokens: {unknown}")
    return {key: value for key, value in ids.items() if value is not None}  # all of them: none is None


def _token_id(tokenizer: WhisperTokenizer, token: str) -> int | None:
    """One token's id (None when the vocabulary lacks it): one token in, one id out."""
    return cast("int | None", tokenizer.convert_tokens_to_ids(token))


def build_tokenizer(tokenizer_json: Path, vocab_size: int) -> WhisperTokenizer:
    """Load the Whisper tokenizer from tokenizer.json alone (no hub files).

    The added special tokens become ``extra_special_tokens`` so that ``all_special_ids[-1] + 1``
    is the first timestamp id, as in the hub tokenizers. Timestamp tokens missing from the file
    are appended exactly as ctranslate2's converter names them (``<|%.2f|>``), so ``len(tokenizer)``
    equals the model's vocabulary size.
    """
    from tokenizers import AddedToken
    from transformers import WhisperTokenizer

    added = json.loads(tokenizer_json.read_text(encoding="utf-8")).get("added_tokens", [])
    extra = [t["content"] for t in added if t.get("special") and t["content"] != "<|endoftext|>"]
    tokenizer = WhisperTokenizer(
        tokenizer_file=str(tokenizer_json), extra_special_tokens=extra, pad_token="<|endoftext|>"
    )
    missing = vocab_size - len(tokenizer)
    if missing < 0:
        raise ValueError(f"tokenizer has {len(tokenizer)} tokens but the model only {vocab_size}")
    timestamps = ["<|%.2f|>" % (i * 0.02) for i in range(missing)]
    tokenizer.add_tokens([AddedToken(t, lstrip=False, rstrip=False, normalized=False) for t in timestamps])
    return tokenizer


def language_tokens(tokenizer: WhisperTokenizer) -> dict[str, int]:
    """Language tokens (``<|en|>`` …) = special tokens that are not Whisper's control tokens."""
    return {
        token: cast(int, tokenizer.convert_tokens_to_ids(token))
        for token in tokenizer.all_special_tokens
        if token not in _NON_LANGUAGE_TOKENS and token.startswith("<|") and token.endswith("|>")
    }


def build_whisper_config(dims: dict[str, Any], ids: dict[str, int], ct2_config: dict) -> WhisperConfig:
    """The model config as on the hub for Whisper checkpoints, token ids from the tokenizer."""
    from transformers import WhisperConfig

    return WhisperConfig(
        **dims,
        decoder_start_token_id=ids["sot"],
        bos_token_id=ids["sot"],
        eos_token_id=ids["eot"],
        pad_token_id=ids["eot"],
        suppress_tokens=list(ct2_config.get("suppress_ids") or []),
        begin_suppress_tokens=list(ct2_config.get("suppress_ids_begin") or [220, ids["eot"]]),
        scale_embedding=False,
        activation_function="gelu",
        tie_word_embeddings=True,
        dtype="float32",
    )


def build_generation_config(
    config: WhisperConfig, tokenizer: WhisperTokenizer, ct2_config: dict
) -> GenerationConfig:
    """Generation config as Whisper's own checkpoints ship it, rebuilt offline.

    English-only models get no ``lang_to_id``/``task_to_id`` at all: transformers runs language
    detection whenever ``lang_to_id`` exists, which silently changes .en outputs.
    """
    from transformers import GenerationConfig

    ids = special_ids(tokenizer)
    multilingual = config.vocab_size >= MULTILINGUAL_VOCAB_SIZE
    fields = {
        "decoder_start_token_id": ids["sot"],
        "bos_token_id": ids["sot"],
        "eos_token_id": ids["eot"],
        "pad_token_id": ids["eot"],
        "max_length": config.max_target_positions,
        "suppress_tokens": list(config.suppress_tokens or []),
        "begin_suppress_tokens": list(config.begin_suppress_tokens or []),
        "no_timestamps_token_id": ids["no_timestamps"],
        "prev_sot_token_id": ids["prev"],
        "max_initial_timestamp_index": 50,
        "return_timestamps": False,
        "is_multilingual": multilingual,
    }
    if ct2_config.get("alignment_heads"):
        fields["alignment_heads"] = [list(h) for h in ct2_config["alignment_heads"]]
    if multilingual:
        fields["lang_to_id"] = language_tokens(tokenizer)
        fields["task_to_id"] = {"translate": ids["translate"], "transcribe": ids["transcribe"]}
        fields["forced_decoder_ids"] = [[1, None], [2, ids["transcribe"]]]
    else:
        fields["forced_decoder_ids"] = [[1, ids["no_timestamps"]]]
    return GenerationConfig(**fields)


def load_ct2_config(ct2_dir: Path) -> dict:
    path = ct2_dir / "config.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# ---------------------------------------------------------------------------------------------
# Atomic output folders


@contextlib.contextmanager
def atomic_dir(out_dir: Path) -> Iterator[Path]:
    """Yield a temp folder beside ``out_dir``; on success fsync it and rename it to ``out_dir``.

    On any exception the temp folder is removed and the exception propagates, so ``out_dir``
    either holds a complete model or does not exist. Raises FileExistsError if ``out_dir``
    exists (also when another process won a rename race).
    """
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise FileExistsError(f"{out_dir} already exists")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the published model should be readable
        yield tmp
        fsync_tree(tmp)
        _rename_dir(tmp, out_dir)
        fsync_path(out_dir.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _rename_dir(tmp: Path, out_dir: Path) -> None:
    if out_dir.exists():  # os.rename would silently replace an empty folder
        raise FileExistsError(f"{out_dir} already exists")
    try:
        os.rename(tmp, out_dir)
    except OSError as e:
        if out_dir.exists():
            raise FileExistsError(f"{out_dir} already exists") from e
        raise


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` so a rename never publishes unwritten data."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fsync_path(Path(folder) / name)
        fsync_path(Path(folder))


# ---------------------------------------------------------------------------------------------
# Public entry points


def import_ct2(ct2_dir: Path, out_dir: Path) -> Path:
    """Rebuild a float32 Hugging Face Whisper folder (model, tokenizer, processor) from a CT2 model.

    ``out_dir`` must not exist; it appears complete or not at all.
    """
    ct2_dir, out_dir = Path(ct2_dir), Path(out_dir)
    if out_dir.exists():  # fail before the slow part; atomic_dir checks again at the rename
        raise FileExistsError(f"{out_dir} already exists")
    variables, aliases = read_ct2_model(ct2_dir / "model.bin")
    tokenizer_json = ct2_dir / "tokenizer.json"
    if not tokenizer_json.exists():
        raise ValueError(f"{ct2_dir} has no tokenizer.json: cannot rebuild the tokenizer offline")
    floats = dequantize(variables, aliases)
    dims = model_dims(variables, floats)
    state_dict = to_hf_state_dict(floats, dims["encoder_layers"], dims["decoder_layers"])
    tokenizer = build_tokenizer(tokenizer_json, dims["vocab_size"])
    ct2_config = load_ct2_config(ct2_dir)
    with atomic_dir(out_dir) as tmp:
        _save_hf_folder(tmp, state_dict, dims, tokenizer, ct2_config)
    return out_dir


def _save_hf_folder(
    tmp: Path, state_dict: dict, dims: dict, tokenizer: WhisperTokenizer, ct2_config: dict
) -> None:
    import torch
    from transformers import WhisperFeatureExtractor, WhisperForConditionalGeneration, WhisperProcessor

    config = build_whisper_config(dims, special_ids(tokenizer), ct2_config)
    model = WhisperForConditionalGeneration(config)
    tensors = {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in state_dict.items()}
    model.load_state_dict(tensors, strict=True)  # copies into the existing (tied) parameters
    model.generation_config = build_generation_config(config, tokenizer, ct2_config)
    model.save_pretrained(tmp)
    feature_extractor = WhisperFeatureExtractor(feature_size=dims["num_mel_bins"])
    # transformers 5 saves the processor as processor_config.json; ctranslate2 and
    # faster-whisper read preprocessor_config.json, so save the feature extractor on its own too.
    WhisperProcessor(feature_extractor=feature_extractor, tokenizer=tokenizer).save_pretrained(tmp)
    feature_extractor.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)


def model_bin_key(model_bin: Path) -> str:
    """Cheap content key: size, mtime and the first and last MB (hashing 1.5 GB would be slow)."""
    stat = model_bin.stat()
    digest = hashlib.sha256(f"{IMPORT_FORMAT_VERSION}|{stat.st_size}|{stat.st_mtime_ns}|".encode())
    with model_bin.open("rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, stat.st_size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return digest.hexdigest()[:20]


def ensure_hf_base(ct2_dir: Path, cache_root: Path) -> Path:
    """Return a cached HF import of ``ct2_dir``, importing it once.

    Concurrent callers may both import; the first rename wins and the loser uses the winner's
    folder (the two are identical).
    """
    ct2_dir = Path(ct2_dir)
    target = Path(cache_root) / f"whisper-hf-{model_bin_key(ct2_dir / 'model.bin')}"
    if target.exists():
        return target
    with contextlib.suppress(FileExistsError):  # another caller won the rename race
        import_ct2(ct2_dir, target)
    return target
