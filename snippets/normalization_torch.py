"""
The layers of snippets.normalization in PyTorch (torch.nn.functional), for the page's PyTorch tab.

Each function takes and returns numpy arrays like its numpy twin, but returns
(out, backward) instead of (out, cache): autograd keeps what the cache kept, and
backward(dout) -> (dx, dgamma, dbeta) as numpy arrays. torch is optional: it is imported
inside the functions (pip install -e '.[torch]').
"""
import numpy as np


def _leaves(*arrays):
    """Tensors (same dtype, copied) whose gradients autograd will compute."""
    import torch
    return [torch.tensor(a, requires_grad=True) for a in arrays]


def _out_and_backward(out, leaves):
    """(out as numpy, backward) where backward(dout) -> numpy gradients of the leaves."""
    import torch

    def backward(dout):
        grads = torch.autograd.grad(out, leaves, grad_outputs=torch.as_tensor(dout),
                                    retain_graph=True)
        return tuple(g.numpy() for g in grads)

    return out.detach().numpy(), backward


# --8<-- [start:torch_batchnorm]
def torch_batchnorm(x, gamma, beta, bn_param):
    """
    batchnorm_forward with F.batch_norm: x (N, D), gamma and beta (D,). The running
    averages are read from and written back into bn_param (default zeros, as in
    batchnorm_forward; torch's own default running_var is ones).
    """
    import torch
    import torch.nn.functional as F
    x, gamma, beta = _leaves(x, gamma, beta)
    C = x.shape[1]
    running_mean = torch.tensor(bn_param.get('running_mean', np.zeros(C)), dtype=x.dtype)
    running_var = torch.tensor(bn_param.get('running_var', np.zeros(C)), dtype=x.dtype)
    out = F.batch_norm(x, running_mean, running_var, gamma, beta,   # updates the running_*
                       training=bn_param['mode'] == 'train',
                       momentum=1 - bn_param.get('momentum', 0.9),   # torch weighs the NEW batch
                       eps=bn_param.get('eps', 1e-5))
    bn_param['running_mean'] = running_mean.numpy()
    bn_param['running_var'] = running_var.numpy()   # unbiased: batch variance * N / (N - 1)
    return _out_and_backward(out, [x, gamma, beta])
# --8<-- [end:torch_batchnorm]


# --8<-- [start:torch_layernorm]
def torch_layernorm(x, gamma, beta, ln_param):
    """layernorm_forward with F.layer_norm: x (N, D), gamma and beta (D,)."""
    import torch.nn.functional as F
    x, gamma, beta = _leaves(x, gamma, beta)
    out = F.layer_norm(x, gamma.shape, gamma, beta, eps=ln_param.get('eps', 1e-5))
    return _out_and_backward(out, [x, gamma, beta])
# --8<-- [end:torch_layernorm]


# --8<-- [start:torch_spatial_batchnorm]
def torch_spatial_batchnorm(x, gamma, beta, bn_param):
    """
    spatial_batchnorm_forward: no transpose needed, F.batch_norm normalizes axis 1 of
    x (N, C, H, W) over all the other axes. gamma and beta (C,).
    """
    return torch_batchnorm(x, gamma, beta, bn_param)
# --8<-- [end:torch_spatial_batchnorm]


# --8<-- [start:torch_groupnorm]
def torch_groupnorm(x, gamma, beta, G, gn_param):
    """spatial_groupnorm_forward with F.group_norm: x (N, C, H, W), gamma and beta
    (1, C, 1, 1) as in the assignment, flattened to the (C,) that torch wants."""
    import torch.nn.functional as F
    x, gamma, beta = _leaves(x, gamma, beta)
    out = F.group_norm(x, G, gamma.reshape(-1), beta.reshape(-1), eps=gn_param.get('eps', 1e-5))
    return _out_and_backward(out, [x, gamma, beta])
# --8<-- [end:torch_groupnorm]
