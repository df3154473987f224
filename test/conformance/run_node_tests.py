#!/usr/bin/env python3
"""ONNX backend node tests as conformance for mllmc (CPU).

Each node test of the `onnx` package (a model.onnx with input_*.pb and
output_*.pb) is compiled with `mllmc --target=cpu`, run with `mllmc-run`
and compared with the expected outputs the way the ONNX backend test runner
compares them (same dtype and shape, then rtol=1e-3, atol=1e-7 unless the
test has its own tolerance below). Each test ends as one of:

  pass          the outputs match
  compile-fail  mllmc rejected the model (the first line of its error)
  run-fail      mllmc-run failed, or an input/output has no .npy form
  mismatch      the outputs differ (which output, and by how much)
  skip          not part of the conformance goal: float8, int4/uint4/float4,
                string and complex tensors, training-mode tests

Tests are grouped into the "in-list" set (every op of the model is one of
the ops issue 3 commits to, and the test is not skipped) and the whole suite.

Modes:
  (default)       run and print a summary
  --check         also compare with the expected-failure list (--xfail):
                  a test that fails without being listed, or passes while
                  listed, fails the run (exit status 1), as in IREE
  --update-xfail  rewrite the expected-failure list from this run's failures
                  (for the tests that ran; entries of other tests are kept)
  --doc FILE      write the per-op conformance table (docs/onnx-conformance.md)

The node tests are not shipped in every `onnx` wheel: when
onnx/backend/test/data/node is missing they are generated from the test
cases in onnx.backend.test.case.node into --cache (once per onnx version).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

HERE = Path(__file__).resolve().parent

# The ops issue 3 commits to (default domain).
ISSUE_OPS = frozenset(
    """Add Sub Mul Div Pow Sqrt Reciprocal Neg Abs Exp Log Erf Tanh Sigmoid
    Relu Gelu Softmax LogSoftmax MatMul Gemm Conv LayerNormalization
    RMSNormalization Attention RotaryEmbedding ReduceMean ReduceSum ReduceMax
    Reshape Transpose Concat Split Slice Gather Expand Squeeze Unsqueeze
    Flatten Shape Constant ConstantOfShape Range Cast CastLike Where Equal
    Less Greater And Or Not Trilu CumSum Identity Dropout Clip Max Min ArgMax
    TopK Einsum ScatterND Pad Cos Sin""".split())

# Inputs whose values decide the shapes of an op's results (axes, pads,
# shapes, slice bounds, split sizes, Range's bounds) or that the importer
# builds compile-time structure from (Trilu's k, CumSum's and CumProd's
# axis, DFT's axis, the constants the signal ops fold to): op -> input
# positions. An ahead-of-time compiler plans memory for
# static shapes, so these must be known at compile time; when a test makes
# one a graph input, the runner binds it to the test's value with
# `mllmc --bind-input`, as a user would, and leaves it out of the run.
SHAPE_PARAMETERS = {
    "ConstantOfShape": (0,), "CumProd": (1,), "CumSum": (1,), "Expand": (1,),
    "OneHot": (1,), "DFT": (1, 2), "STFT": (1, 3),
    "MelWeightMatrix": (0, 1, 2, 3, 4),
    **{op: (0,) for op in ("BlackmanWindow", "HammingWindow", "HannWindow")},
    "Pad": (1, 2, 3), "Range": (0, 1, 2), "Reshape": (1,), "Resize": (1, 2, 3),
    "Slice": (1, 2, 3, 4), "Split": (1,), "Squeeze": (1,), "Tile": (1,),
    "TopK": (1,), "Trilu": (1,), "Unsqueeze": (1,), "Upsample": (1,),
    **{op: (1,) for op in (
        "ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean "
        "ReduceMin ReduceProd ReduceSum ReduceSumSquare").split()},
}

# Element types outside the conformance goal.
SKIPPED_TYPES = {
    TensorProto.STRING: "string",
    TensorProto.COMPLEX64: "complex",
    TensorProto.COMPLEX128: "complex",
}
for _name in ("FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ",
              "FLOAT8E8M0", "FLOAT4E2M1", "INT4", "UINT4", "INT2", "UINT2"):
    if hasattr(TensorProto, _name):
        SKIPPED_TYPES[getattr(TensorProto, _name)] = _name.lower()

DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-7
# Per-test tolerances (name regex -> (rtol, atol)), as the ONNX backend
# runner allows per test. Each entry says why.
TOLERANCES = [
    # f16 and bf16 results are rounded once per op; the expectations are
    # computed in f32 and rounded at the end.
    (r"_(fp16|bf16|float16|FLOAT16|bfloat16|BFLOAT16)", (1e-2, 1e-3)),
    # The expectations are numpy's complex64 FFT: imaginary parts that are
    # exactly 0 hold its single-precision roundoff (1.9e-7 at magnitude 50).
    (r"^test_dft_inverse", (1e-3, 1e-6)),
]

EXPECTED_CLASSES = ("compile-fail", "run-fail", "mismatch")


@dataclass
class NodeTest:
    name: str
    path: Path
    ops: list[str] = field(default_factory=list)
    opset: int = 0
    skip_reason: str = ""

    @property
    def in_list(self) -> bool:
        return not self.skip_reason and all(op in ISSUE_OPS for op in self.ops)


@dataclass
class Result:
    name: str
    status: str  # pass, compile-fail, run-fail, mismatch, skip
    detail: str = ""
    seconds: float = 0.0


# --------------------------------------------------------------------------
# Test data
# --------------------------------------------------------------------------


def shipped_node_dir() -> Path:
    return Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"


def write_value(path: Path, value, value_info: onnx.ValueInfoProto) -> None:
    """Writes one input or output as the ONNX backend test data does."""
    kind = value_info.type.WhichOneof("value")
    if kind == "sequence_type":
        proto = numpy_helper.from_list(value, value_info.name)
    elif kind == "optional_type":
        proto = numpy_helper.from_optional(value, value_info.name)
    elif kind == "map_type":
        proto = numpy_helper.from_dict(value, value_info.name)
    elif isinstance(value, TensorProto):
        proto = value
    else:
        proto = numpy_helper.from_array(value, value_info.name)
    path.write_bytes(proto.SerializeToString())


def generate_node_tests(cache: Path) -> Path:
    """Writes the node tests of onnx.backend.test.case.node under cache, once
    per onnx version (a lock keeps concurrent runs from colliding)."""
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    stamp = cache / "onnx-version"
    node_dir = cache / "node"
    with open(cache / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text() == onnx.__version__:
            return node_dir
        print(f"conformance: generating the ONNX {onnx.__version__} node "
              f"tests into {node_dir} (once)", file=sys.stderr)
        import warnings

        import onnx.backend.test.case.node as node_cases

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cases = node_cases.collect_testcases()
        if node_dir.exists():
            shutil.rmtree(node_dir)
        for case in cases:
            out = node_dir / case.name
            out.mkdir(parents=True)
            (out / "model.onnx").write_bytes(case.model.SerializeToString())
            for i, (inputs, outputs) in enumerate(case.data_sets):
                data = out / f"test_data_set_{i}"
                data.mkdir()
                for j, value in enumerate(inputs):
                    write_value(data / f"input_{j}.pb", value,
                                case.model.graph.input[j])
                for j, value in enumerate(outputs):
                    write_value(data / f"output_{j}.pb", value,
                                case.model.graph.output[j])
        stamp.write_text(onnx.__version__)
    return node_dir


def value_types(model: onnx.ModelProto):
    """Element types of every tensor the graph declares or stores."""
    graph = model.graph
    for info in list(graph.input) + list(graph.output) + list(graph.value_info):
        if info.type.HasField("tensor_type"):
            yield info.type.tensor_type.elem_type
    for init in graph.initializer:
        yield init.data_type
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR:
                yield attr.t.data_type
            if attr.name in ("to", "output_dtype", "dtype") and \
                    attr.type == onnx.AttributeProto.INT:
                yield attr.i


def collect_ops(graph: onnx.GraphProto, ops: list[str]) -> None:
    for node in graph.node:
        op = node.op_type if node.domain in ("", "ai.onnx") else \
            f"{node.domain}.{node.op_type}"
        ops.append(op)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                collect_ops(attr.g, ops)
            for g in attr.graphs:
                collect_ops(g, ops)


def describe(path: Path) -> NodeTest:
    test = NodeTest(path.name, path)
    try:
        model = onnx.load(str(path / "model.onnx"), load_external_data=False)
    except Exception as e:  # noqa: BLE001 - reported as the skip reason
        test.skip_reason = f"unreadable model: {e}"
        return test
    ops: list[str] = []
    collect_ops(model.graph, ops)
    test.ops = sorted(set(ops))
    test.opset = next((o.version for o in model.opset_import
                       if o.domain in ("", "ai.onnx")), 0)
    skipped = sorted({SKIPPED_TYPES[t] for t in value_types(model)
                      if t in SKIPPED_TYPES})
    if skipped:
        test.skip_reason = "type " + ", ".join(skipped)
    elif "training" in path.name or any(
            o.domain == "ai.onnx.preview.training" for o in model.opset_import):
        test.skip_reason = "training"
    return test


# --------------------------------------------------------------------------
# Running one test
# --------------------------------------------------------------------------


def first_error_line(text: str) -> str:
    """The first line that says what went wrong, without the tool's paths."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error" in line:
            return shorten(line)
    return shorten(lines[0]) if lines else "no message"


def shorten(line: str) -> str:
    # Paths of the temporary folders make every message unique: drop them.
    line = re.sub(r"\S*/(model\.onnx|t\.mllm)", r"\1", line)
    return line[:300]


def tolerance(name: str) -> tuple[float, float]:
    for pattern, tol in TOLERANCES:
        if re.search(pattern, name):
            return tol
    return DEFAULT_RTOL, DEFAULT_ATOL


def compare(name: str, expected: np.ndarray, actual: np.ndarray) -> str:
    """'' when `actual` matches `expected`, else why not."""
    if expected.dtype != actual.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if expected.shape != actual.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if expected.dtype.kind in "biu" or expected.dtype == np.bool_:
        bad = expected != actual
        if bad.any():
            return (f"{int(bad.sum())} of {expected.size} elements differ "
                    f"(first at {np.argwhere(bad)[0].tolist()}: "
                    f"{actual[bad][0]} vs {expected[bad][0]})")
        return ""
    rtol, atol = tolerance(name)
    e = expected.astype(np.float64)
    a = actual.astype(np.float64)
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return ""
    diff = np.abs(a - e)[~close]
    worst = f"max abs diff {np.nanmax(diff):.3g}" \
        if np.isfinite(diff).any() else "NaN or inf where a number is expected"
    return (f"{int((~close).sum())} of {e.size} elements differ ({worst}, "
            f"rtol={rtol}, atol={atol})")


def load_pb(path: Path):
    proto = TensorProto()
    proto.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(proto)


def shape_parameter_inputs(model: onnx.ModelProto) -> set[str]:
    """Graph inputs that some node's shape parameter is computed from (an
    expanded function computes pads or a Range bound from them). Shape and
    Size read only shapes, so the search stops there; CastLike reads only
    the element type of its second input."""
    inputs = {i.name for i in model.graph.input} - \
        {i.name for i in model.graph.initializer}
    producers = {out: node for node in model.graph.node
                 for out in node.output}
    pending = [node.input[position] for node in model.graph.node
               for position in SHAPE_PARAMETERS.get(node.op_type, ())
               if position < len(node.input) and node.input[position]]
    seen, bound = set(), set()
    while pending:
        value = pending.pop()
        if value in seen:
            continue
        seen.add(value)
        if value in inputs:
            bound.add(value)
        node = producers.get(value)
        if node is not None and node.op_type not in ("Shape", "Size"):
            values = node.input[:1] if node.op_type == "CastLike" else node.input
            pending.extend(v for v in values if v)
    return bound


def run_test(test: NodeTest, bin_dir: Path | None, work: Path,
             timeout: float) -> Result:
    start = time.monotonic()

    def done(status: str, detail: str = "") -> Result:
        return Result(test.name, status, detail, time.monotonic() - start)

    if test.skip_reason:
        return done("skip", test.skip_reason)
    tool = (lambda t: str(bin_dir / t)) if bin_dir else (lambda t: t)
    model = onnx.load(str(test.path / "model.onnx"), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    for info in list(model.graph.input) + list(model.graph.output):
        if not info.type.HasField("tensor_type"):
            kind = info.type.WhichOneof("value") or "unknown"
            return done("compile-fail",
                        f"graph value '{info.name}' is a {kind}, not a tensor")

    out_dir = work / test.name
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "in").mkdir(parents=True)
    artifact = out_dir / "t.mllm"
    bound = shape_parameter_inputs(model)
    bindings = []
    for j, info in enumerate(model.graph.input):
        pb = test.path / "test_data_set_0" / f"input_{j}.pb"
        if info.name in bound and pb.exists():
            values = np.asarray(load_pb(pb)).reshape(-1).tolist()
            bindings.append(f"--bind-input={info.name}=" +
                            ",".join(str(int(v) if isinstance(v, bool) else v)
                                     for v in values))
    try:
        proc = subprocess.run(
            [tool("mllmc"), str(test.path / "model.onnx"), "--target=cpu",
             "-o", str(artifact), *bindings],
            capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return done("timeout", f"mllmc took more than {timeout:.0f} s")
    if proc.returncode != 0:
        return done("compile-fail", first_error_line(proc.stderr))

    data = test.path / "test_data_set_0"
    args = [tool("mllmc-run"), str(artifact), "--output-dir",
            str(out_dir / "out")]
    for j, info in enumerate(model.graph.input):
        if info.name in initializers or info.name in bound:
            continue
        pb = data / f"input_{j}.pb"
        if not pb.exists():
            continue  # an optional input the test leaves out
        array = np.array(load_pb(pb), order="C")  # keeps rank 0
        npy = out_dir / "in" / f"input_{j}.npy"
        if array.dtype.names is not None:
            return done("run-fail",
                        f"input '{info.name}' is {array.dtype}, which .npy "
                        "files cannot carry to mllmc-run")
        np.save(npy, array)
        args.append(f"--input={info.name}={npy}")
    try:
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return done("timeout", f"mllmc-run took more than {timeout:.0f} s")
    if proc.returncode != 0:
        return done("run-fail", first_error_line(proc.stderr))

    for j, info in enumerate(model.graph.output):
        expected = load_pb(data / f"output_{j}.pb")
        file_name = info.name.replace("/", "_")
        if file_name in (".", ".."):
            file_name = "_" + file_name
        npy = out_dir / "out" / f"{file_name}.npy"
        if not npy.exists():
            return done("run-fail", f"no output '{info.name}' was written")
        actual = np.load(npy)
        if str(expected.dtype) == "bfloat16" and actual.dtype.kind == "V":
            actual = actual.view(expected.dtype)
        why = compare(test.name, np.asarray(expected), actual)
        if why:
            return done("mismatch", f"output '{info.name}': {why}")
    shutil.rmtree(out_dir, ignore_errors=True)
    return done("pass")


# --------------------------------------------------------------------------
# Expected failures, summary and documentation
# --------------------------------------------------------------------------


def read_xfail(path: Path) -> dict[str, str]:
    """test name -> 'class: reason' from lines 'name  class: reason'."""
    entries = {}
    if not path.exists():
        return entries
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        entries[name] = reason.strip()
    return entries


def write_xfail(path: Path, entries: dict[str, str]) -> None:
    header = (
        "# Expected failures of the ONNX backend node tests on the CPU target\n"
        "# (test/conformance/run_node_tests.py). One test per line: its name,\n"
        "# then how it fails. The check is strict: a listed test that passes\n"
        "# fails the run too; remove it from this list.\n"
        "# Regenerate with: scripts/conformance --update-xfail\n")
    lines = [f"{name} {reason}" for name, reason in sorted(entries.items())]
    path.write_text(header + "\n".join(lines) + ("\n" if lines else ""))


def rate(results: list[Result]) -> str:
    counted = [r for r in results if r.status != "skip"]
    passed = sum(r.status == "pass" for r in counted)
    pct = 100.0 * passed / len(counted) if counted else 0.0
    return f"{passed}/{len(counted)} ({pct:.1f}%)"


def summarize(tests: dict[str, NodeTest], results: list[Result],
              whole_suite: bool) -> str:
    in_list = [r for r in results if tests[r.name].in_list]
    counts = Counter(r.status for r in results)
    lines = [
        f"in-list tests (ops all in issue 3's list, no float8/int4/string/"
        f"training): {rate(in_list)} pass",
    ]
    if whole_suite:
        lines += [
            f"whole suite (without float8/int4/string/training): "
            f"{rate(results)} pass",
            f"whole suite (all {len(results)} tests, skipped ones as "
            f"failures): {counts['pass']}/{len(results)} "
            f"({100.0 * counts['pass'] / max(len(results), 1):.1f}%)",
        ]
    lines.append("status counts: " + ", ".join(
        f"{k} {v}" for k, v in sorted(counts.items())))
    reasons = Counter(
        f"{r.status}: {normalize_reason(r.detail)}" for r in results
        if r.status in EXPECTED_CLASSES)
    if reasons:
        lines.append("most common failures:")
        for reason, n in reasons.most_common(15):
            lines.append(f"  {n:4d}  {reason}")
    return "\n".join(lines)


def normalize_reason(detail: str) -> str:
    """A failure reason without test-specific names and numbers."""
    op = re.search(r"unsupported ONNX op '[^']*'", detail)
    if op:
        return op.group(0)
    detail = re.sub(r"'[^']*'", "'…'", detail)
    detail = re.sub(r"\b\d+\b", "N", detail)
    return detail[:160]


def write_doc(path: Path, tests: dict[str, NodeTest],
              results: list[Result]) -> None:
    """Per op: passed/total of the tests that use it, and the dtypes seen."""
    by_op: dict[str, list[Result]] = defaultdict(list)
    dtypes: dict[str, set[str]] = defaultdict(set)
    for r in results:
        test = tests[r.name]
        # An expanded function test exercises its body's ops, not the op it
        # is named after; count it under those ops.
        for op in test.ops:
            by_op[op].append(r)
            if r.status == "pass":
                dtypes[op].update(test_dtypes(test))
    in_list = [r for r in results if tests[r.name].in_list]
    out = [
        "# ONNX conformance (CPU)",
        "",
        "<!-- Generated by scripts/conformance from the ONNX backend node "
        "tests; do not edit. -->",
        "",
        f"The ONNX {onnx.__version__} backend node tests, compiled with "
        "`mllmc --target=cpu` and run with `mllmc-run`, compared with the "
        f"expected outputs (rtol={DEFAULT_RTOL}, atol={DEFAULT_ATOL}; f16 and "
        "bf16 tests rtol=1e-2, atol=1e-3).",
        "",
        f"- Tests whose ops are all in the committed op list (issue 3), "
        f"float8, int4, string and training tests aside: **{rate(in_list)}**",
        f"- Whole suite, float8, int4, string and training tests aside: "
        f"**{rate(results)}**",
        f"- Whole suite, all {len(results)} tests: "
        f"**{sum(r.status == 'pass' for r in results)}/{len(results)}**",
        "",
        "Run it with `scripts/conformance` (the full suite, rewrites this "
        "page); `scripts/test` checks the in-list tests against "
        "`test/conformance/xfail-cpu.txt`, where every expected failure is "
        "listed with its reason.",
        "",
        "A graph input that sets the shape of a result (Reduce axes, Pad pads, "
        "Reshape/Expand shapes, Slice bounds, Split sizes, Range bounds, "
        "TopK's k, Trilu's k, CumSum's axis) must be known when an "
        "ahead-of-time compiler plans memory: where a test makes one a graph "
        "input, the runner fixes it to the test's value with "
        "`mllmc --bind-input=NAME=V0,V1,...`, as a user does, and the "
        "artifact runs on the remaining inputs.",
        "",
        "Per op: the tests that use the op (expanded function tests count "
        "under the ops of their body), how many pass, and the element types "
        "of the passing tests. Skipped tests (float8, int4, string, complex, "
        "training) are not counted.",
        "",
        "| Op | In list | Passed / tests | Element types passing |",
        "|---|---|---|---|",
    ]
    for op in sorted(by_op):
        rs = [r for r in by_op[op] if r.status != "skip"]
        if not rs:
            continue
        passed = sum(r.status == "pass" for r in rs)
        out.append(f"| {op} | {'yes' if op in ISSUE_OPS else ''} | "
                   f"{passed} / {len(rs)} | "
                   f"{', '.join(sorted(dtypes[op]))} |")
    path.write_text("\n".join(out) + "\n")


def test_dtypes(test: NodeTest) -> set[str]:
    model = onnx.load(str(test.path / "model.onnx"), load_external_data=False)
    names = set()
    for info in list(model.graph.input) + list(model.graph.output):
        if info.type.HasField("tensor_type"):
            names.add(TensorProto.DataType.Name(
                info.type.tensor_type.elem_type).lower())
    return names


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


def select(tests: dict[str, NodeTest], subset: str,
           names_file: Path | None, pattern: str | None) -> list[NodeTest]:
    chosen = list(tests.values())
    if subset == "in-list":
        chosen = [t for t in chosen if t.in_list]
    if names_file:
        wanted = set(read_names(names_file))
        missing = wanted - tests.keys()
        if missing:
            sys.exit(f"conformance: {names_file} names unknown tests: "
                     f"{', '.join(sorted(missing)[:5])}")
        chosen = [t for t in chosen if t.name in wanted]
    if pattern:
        chosen = [t for t in chosen if re.search(pattern, t.name)]
    return sorted(chosen, key=lambda t: t.name)


def read_names(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def check(results: list[Result], xfail: dict[str, str]) -> list[str]:
    """Differences between the results and the expected failures."""
    problems = []
    for r in results:
        expected = xfail.get(r.name)
        if r.status == "pass" and expected:
            problems.append(f"UNEXPECTED PASS {r.name} (listed as "
                            f"'{expected}'): remove it from the list")
        elif r.status == "timeout":
            problems.append(f"TIMEOUT {r.name}: {r.detail}; no list can "
                            "expect this: a slow compile or run is a bug")
        elif r.status in EXPECTED_CLASSES and not expected:
            problems.append(f"UNEXPECTED FAIL {r.name}: {r.status}: "
                            f"{r.detail}")
        elif r.status in EXPECTED_CLASSES and \
                not expected.startswith(r.status):
            problems.append(f"CHANGED {r.name}: now {r.status}: {r.detail} "
                            f"(listed as '{expected}')")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path,
                        help="folder of node tests (default: the onnx "
                        "package's, else generated into --cache)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) /
                        "mllmc-onnx-node-tests",
                        help="where generated node tests are kept")
    parser.add_argument("--generate-only", action="store_true",
                        help="only write the node tests into --cache")
    parser.add_argument("--bin", type=Path,
                        help="folder with mllmc and mllmc-run (default: PATH)")
    parser.add_argument("--work", type=Path,
                        help="scratch folder (default: a temporary one)")
    parser.add_argument("--subset", choices=("in-list", "all"),
                        default="in-list")
    parser.add_argument("--tests", type=Path,
                        help="file naming the tests to run (one a line)")
    parser.add_argument("--filter", help="regex on the test names")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per compile or run")
    parser.add_argument("--xfail", type=Path,
                        default=HERE / "xfail-cpu.txt")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update-xfail", action="store_true")
    parser.add_argument("--doc", type=Path)
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--merge", type=Path, action="append", default=[],
                        help="results of an earlier --json run for the tests "
                        "this run does not run (e.g. to write --doc or "
                        "--update-xfail for the whole suite from parts)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every test's result")
    args = parser.parse_args()

    if args.generate_only:
        print(generate_node_tests(args.cache))
        return 0
    data = args.data
    if data is None:
        data = shipped_node_dir()
        if not data.is_dir():
            data = generate_node_tests(args.cache)
    tests = {t.name: t for t in map(describe, sorted(
        p for p in data.iterdir() if (p / "model.onnx").exists()))}
    chosen = select(tests, args.subset, args.tests, args.filter)
    if not chosen:
        sys.exit("conformance: no test selected")

    for tool in ("mllmc", "mllmc-run"):
        path = args.bin / tool if args.bin else shutil.which(tool)
        if not path or not os.access(path, os.X_OK):
            sys.exit(f"conformance: {tool} not found "
                     f"({'in ' + str(args.bin) if args.bin else 'on PATH'}); "
                     "build it first (scripts/build) or pass --bin")

    work = args.work or Path(tempfile.mkdtemp(prefix="mllmc-conformance-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    results: list[Result] = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_test, t, args.bin, work, args.timeout)
                   for t in chosen]
        for future in concurrent.futures.as_completed(futures):
            r = future.result()
            results.append(r)
            if args.verbose:
                print(f"{r.status:12s} {r.name} {r.detail}", flush=True)
    ran = {r.name for r in results}
    for path in args.merge:
        for entry in json.loads(path.read_text()):
            if entry["name"] in tests and entry["name"] not in ran:
                results.append(Result(**entry))
                ran.add(entry["name"])
    results.sort(key=lambda r: r.name)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)

    whole_suite = len(results) == len(tests)
    print(summarize(tests, results, whole_suite))
    print(f"{len(results)} tests in {time.monotonic() - start:.0f} s "
          f"({args.jobs} workers)")
    if args.json:
        args.json.write_text(json.dumps(
            [r.__dict__ for r in results], indent=1))
    if args.doc:
        write_doc(args.doc, tests, results)

    xfail = read_xfail(args.xfail)
    if args.update_xfail:
        ran = {r.name for r in results}
        kept = {n: v for n, v in xfail.items() if n not in ran}
        kept.update({r.name: f"{r.status}: {r.detail}" for r in results
                     if r.status in EXPECTED_CLASSES})
        write_xfail(args.xfail, kept)
        print(f"wrote {len(kept)} expected failures to {args.xfail}")
        return 0
    if args.check:
        problems = check(results, xfail)
        for p in problems:
            print(p)
        if problems:
            print(f"conformance: {len(problems)} results differ from "
                  f"{args.xfail}; fix them, or update the list with "
                  "scripts/conformance --update-xfail")
            return 1
        print(f"conformance: all results as expected by {args.xfail.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
