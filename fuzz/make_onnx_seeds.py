"""Writes the ONNX importer fuzzer's seed corpus: make_onnx_seeds.py DIR

Every test model the repository's helpers make (test/helpers/make_*.py, the
bad inputs included), the committed example models, and the ONNX backend
node test models that ship inside the `onnx` Python package (one small model
per op and variant). Each becomes DIR/<source>-<name>.onnx.
"""

import glob
import importlib
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPERS = os.path.join(ROOT, "test", "helpers")

# Helper scripts whose command line is `SCRIPT NAME OUT.onnx`, by the module
# that holds their MODELS table.
NAMED = {"make_onnx_model": "onnx_models", "make_conv_models": None,
         "make_fusion_models": None, "make_microsoft_models": None,
         "make_rotary_models": None, "make_selection_models": None}
# Other command lines: (script, arguments before OUT.onnx, seed name).
FIXED = [("make_attention_models", ["llama"], "attention-llama"),
         ("make_attention_models", ["clip"], "attention-clip"),
         ("make_llava_projector", [], "llava-projector")]


def run_helper(script, args, out):
    command = [sys.executable, os.path.join(HELPERS, script + ".py")] + args
    result = subprocess.run(command + [out], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=HELPERS))
    if result.returncode != 0 or not os.path.exists(out):
        print("make_onnx_seeds: skipped %s %s: %s" % (
            script, " ".join(args), result.stderr.strip()[-200:]))


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    sys.path.insert(0, HELPERS)
    for script, table in NAMED.items():
        if not os.path.exists(os.path.join(HELPERS, script + ".py")):
            continue
        names = sorted(importlib.import_module(table or script).MODELS)
        for name in names:
            out = os.path.join(out_dir, "%s-%s.onnx" % (script, name))
            run_helper(script, [name], out)
    for script, args, name in FIXED:
        run_helper(script, args, os.path.join(out_dir, name + ".onnx"))

    for model in glob.glob(os.path.join(ROOT, "examples", "*", "*.onnx")):
        example = os.path.basename(os.path.dirname(model))
        shutil.copy(model, os.path.join(out_dir, "example-%s.onnx" % example))

    # The conformance runner finds (or, when the wheel lacks them, generates
    # once into a cache next to DIR) the node tests.
    sys.path.insert(0, os.path.join(ROOT, "test", "conformance"))
    import run_node_tests
    node_dir = run_node_tests.shipped_node_dir()
    if not node_dir.exists():
        cache = os.path.join(os.path.dirname(os.path.abspath(out_dir)),
                             "onnx-node-tests")
        node_dir = run_node_tests.generate_node_tests(pathlib.Path(cache))
    for model in glob.glob(os.path.join(str(node_dir), "*", "model.onnx")):
        test = os.path.basename(os.path.dirname(model))
        shutil.copy(model, os.path.join(out_dir, "node-%s.onnx" % test))
    print("make_onnx_seeds: %d models in %s" % (len(os.listdir(out_dir)),
                                                out_dir))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
