"""
The input-gradient techniques of snippets.input_gradient in PyTorch, for the page's PyTorch tab:
the same weights (numpy arrays) loaded into torch.nn.Linear layers, then autograd on the image
instead of the weights, as in cs231n assignment 3's NetworkVisualization-PyTorch notebook.
torch is optional: it is imported inside the functions (pip install -e '.[torch]').
"""


def torch_model(params):
    """nn.Sequential in float64 with the weights of a linear model (W, b) or two-layer net."""
    import torch
    from torch import nn

    def linear(W, b):
        layer = nn.Linear(*W.shape).double()
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(W.T))    # torch stores (out, in): our W transposed
            layer.bias.copy_(torch.from_numpy(b))
        return layer

    if 'W' in params:
        return nn.Sequential(linear(params['W'], params['b']))
    return nn.Sequential(linear(params['W1'], params['b1']), nn.ReLU(),
                         linear(params['W2'], params['b2']))


# --8<-- [start:torch_saliency]
def torch_saliency(model, X, y):
    """
    compute_saliency_maps of NetworkVisualization-PyTorch, for flattened one-channel images:
    X (N, D) and y (N,) numpy arrays -> saliency (N, D) as numpy.
    """
    import torch
    model.eval()
    X = torch.tensor(X, requires_grad=True)              # the image is the variable
    scores = model(X)                                      # (N, C), before softmax
    scores.gather(1, torch.as_tensor(y).view(-1, 1)).sum().backward()
    return X.grad.abs().numpy()     # for (N, 3, H, W) images: X.grad.abs().max(dim=1).values
# --8<-- [end:torch_saliency]


# --8<-- [start:torch_fgsm]
def torch_fgsm(model, X, y, eps, clip=None):
    """
    x + eps * sign(dL/dx) with the mean cross-entropy L (Goodfellow et al. 2015), clamped to
    clip = (low, high) (scalars or numpy arrays of shape (D,)) if given: still a valid image.
    """
    import torch
    import torch.nn.functional as F
    X = torch.tensor(X, requires_grad=True)
    F.cross_entropy(model(X), torch.as_tensor(y)).backward()
    X_adv = (X + eps * X.grad.sign()).detach()
    if clip is not None:
        low, high = (torch.as_tensor(c, dtype=X_adv.dtype) for c in clip)
        X_adv = torch.clamp(X_adv, low, high)
    return X_adv.numpy()
# --8<-- [end:torch_fgsm]


# --8<-- [start:torch_class_visualization]
def torch_class_visualization_step(model, x, target, l2_reg, learning_rate):
    """
    One step of class_visualization_update: ascend s_target(x) - l2_reg * ||x||^2.
    x: one image (D,) as numpy; returns the updated image as numpy.
    """
    import torch
    x = torch.tensor(x[None], requires_grad=True)
    objective = model(x)[0, target] - l2_reg * (x * x).sum()
    objective.backward()
    with torch.no_grad():
        x += learning_rate * x.grad                        # ascent: +, not the optimizer's -
    return x[0].detach().numpy()
# --8<-- [end:torch_class_visualization]
