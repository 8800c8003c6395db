"""``backprop-lens import``: a session file from the weights of a PyTorch nn.Sequential saved as
.safetensors (engine.torch_bridge), without Qt.  ``export --safetensors`` is in gui/cli/export.py."""
from __future__ import annotations

import argparse

from gui.cli import common

SUMMARY = "make a session file from a PyTorch nn.Sequential's weights (.safetensors)"

IMPORT_EPILOG = """\
example:
  backprop-lens import model.safetensors --activation tanh --output-activation sigmoid --loss bce --out run.bplens

The file is a PyTorch state dict of an nn.Sequential of Linear layers and activations
(keys 0.weight, 0.bias, 2.weight, ...), saved with safetensors.torch.save_file(model.state_dict(), ...).
Files this app exported carry the activations and loss; others need --activation and --loss."""


def add_parser(sub) -> argparse.ArgumentParser:
    from engine.activations import ACTIVATIONS
    from engine.losses import LOSSES
    p = sub.add_parser("import", prog="backprop-lens import", help=SUMMARY,
                       description="Make a session file from the weights of a PyTorch nn.Sequential of Linear "
                                   "layers saved as .safetensors (read without PyTorch and without pickle).",
                       epilog=IMPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", metavar="MODEL.safetensors", help="the state dict to import")
    p.add_argument("--activation", choices=list(ACTIVATIONS), help="the hidden layers' activation")
    p.add_argument("--output-activation", choices=list(ACTIVATIONS), help="the output layer's activation "
                   "(default: the hidden one)")
    p.add_argument("--loss", choices=list(LOSSES), help="the loss to train with")
    p.add_argument("--dataset", metavar="NAME", help="the data set to pair it with (default: a shipped one with "
                   "the network's numbers of inputs and outputs)")
    p.add_argument("--eta", type=float, default=0.1, metavar="η", help="learning rate (default 0.1)")
    p.add_argument("--out", required=True, metavar="FILE.bplens", help="the session file to write")
    p.set_defaults(preset=None, session=None, offscreen=False)
    return p


def run(args) -> int:
    from engine.run import Run
    from engine.session_file import save_session
    from engine.torch_bridge import BridgeError, import_config, read_weights
    try:
        weights = read_weights(args.model)
        config = import_config(weights, args.activation, args.output_activation, args.loss,
                               None if args.dataset is None else {"name": args.dataset}, args.eta)
        run = Run(config)
    except (BridgeError, ValueError) as e:
        return common.fail(str(e), 2)
    try:
        save_session(args.out, run)
    except ValueError as e:               # refused (SessionFileError: a session a file cannot hold)
        return common.fail(f"will not write {args.out}: {e}", 2)
    except OSError as e:
        return common.fail(f"could not write {args.out}: {e.strerror or e}")
    print(f"imported a {'-'.join(map(str, weights.sizes))} network ({config.activation} hidden, "
          f"{config.output}, {config.loss}) on the {run.train.name} data set into {args.out}")
    return 0
