"""Writes one named test model: make_onnx_model.py NAME OUT.onnx

NAME is a builder in onnx_models.py; run with --list to see them all.
"""

import sys

import onnx_models


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(sorted(onnx_models.MODELS)))
        return 0
    if len(argv) != 3 or argv[1] not in onnx_models.MODELS:
        sys.stderr.write(__doc__)
        return 2
    onnx_models.MODELS[argv[1]](argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
