"""
snippets.normalization against PyTorch (torch.nn.functional), in float64: outputs, gradients
(autograd with the same upstream dout), running averages. Agreement to 1e-10 absolute: both
compute the same formula in float64, so only rounding (~1e-15 on values of order 1) separates them.
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch not installed: pip install -e '.[torch]'")

from snippets.normalization import (batchnorm_backward, batchnorm_forward,  # noqa: E402
                                    layernorm_backward, layernorm_forward,
                                    spatial_batchnorm_backward, spatial_batchnorm_forward,
                                    spatial_groupnorm_backward, spatial_groupnorm_forward)
from snippets.normalization_torch import (torch_batchnorm, torch_groupnorm,  # noqa: E402
                                          torch_layernorm, torch_spatial_batchnorm)

TOL = dict(rtol=0, atol=1e-10)
rng = np.random.default_rng(0)


def inputs(x_shape, gamma_shape):
    return (5 * rng.standard_normal(x_shape) + 12, rng.standard_normal(gamma_shape),
            rng.standard_normal(gamma_shape))


def assert_same_pass(ours, theirs, ours_backward, args, extra=()):
    """Run our forward/backward and the torch version on the same arrays and one dout."""
    out, cache = ours(*args, *extra[0])
    out_t, backward_t = theirs(*args, *extra[1])
    np.testing.assert_allclose(out_t, out, **TOL)
    dout = rng.standard_normal(out.shape)
    for ours_grad, torch_grad in zip(ours_backward(dout, cache), backward_t(dout)):
        assert torch_grad.shape == ours_grad.shape
        np.testing.assert_allclose(torch_grad, ours_grad, **TOL)


@pytest.mark.parametrize('forward, backward, theirs, x_shape, C', [
    (batchnorm_forward, batchnorm_backward, torch_batchnorm, (16, 5), 5),
    (spatial_batchnorm_forward, spatial_batchnorm_backward, torch_spatial_batchnorm,
     (4, 3, 5, 6), 3),
])
def test_batchnorm_agrees_with_torch_for_three_training_steps(forward, backward, theirs,
                                                              x_shape, C):
    ours_param, torch_param = {'mode': 'train'}, {'mode': 'train'}
    M = np.prod(x_shape) // C                      # values behind each mean: N, or N * H * W
    for _ in range(3):
        x, gamma, beta = inputs(x_shape, C)
        assert_same_pass(forward, theirs, backward, (x, gamma, beta),
                         ((ours_param,), (torch_param,)))
        np.testing.assert_allclose(torch_param['running_mean'], ours_param['running_mean'], **TOL)
        # torch keeps the unbiased variance: ours * M / (M - 1), step after step (it is linear)
        np.testing.assert_allclose(torch_param['running_var'],
                                   ours_param['running_var'] * M / (M - 1), **TOL)
    x, gamma, beta = inputs(x_shape, C)
    ours_param['running_var'] = torch_param['running_var']     # same statistics in test mode
    ours_param['mode'] = torch_param['mode'] = 'test'
    assert_same_pass(forward, theirs, backward, (x, gamma, beta), ((ours_param,), (torch_param,)))


def test_layernorm_agrees_with_torch():
    assert_same_pass(layernorm_forward, torch_layernorm, layernorm_backward, inputs((6, 7), 7),
                     (({},), ({},)))


@pytest.mark.parametrize('G', [1, 2, 6])
def test_groupnorm_agrees_with_torch(G):
    assert_same_pass(spatial_groupnorm_forward, torch_groupnorm, spatial_groupnorm_backward,
                     inputs((3, 6, 4, 5), (1, 6, 1, 1)), ((G, {}), (G, {})))


def test_cs231n_momentum_0_9_is_torch_momentum_0_1():
    x, gamma, beta = inputs((10, 4), 4)
    bn_param = {'mode': 'train', 'momentum': 0.9}
    batchnorm_forward(x, gamma, beta, bn_param)
    batchnorm_forward(x + 1, gamma, beta, bn_param)
    running_mean = torch.zeros(4, dtype=torch.float64)
    running_var = torch.zeros(4, dtype=torch.float64)
    for batch in (x, x + 1):
        torch.nn.functional.batch_norm(torch.from_numpy(batch), running_mean, running_var,
                                       training=True, momentum=0.1)
    np.testing.assert_allclose(running_mean.numpy(), bn_param['running_mean'], **TOL)


def test_torch_refuses_one_example_in_training_where_ours_returns_beta():
    x, gamma, beta = inputs((1, 4), 4)
    # the page quotes torch's reason: one value per channel, so the batch variance is 0
    with pytest.raises(ValueError, match='Expected more than 1 value per channel when training'):
        torch_batchnorm(x, gamma, beta, {'mode': 'train'})
    out, _ = batchnorm_forward(x, gamma, beta, {'mode': 'train'})
    assert np.array_equal(out[0], beta)            # x - mean is exactly 0 for N = 1


def test_with_four_examples_torch_running_var_is_four_thirds_of_ours():
    # the page: "N = 4 时两者的比是 4/3" / "With N = 4 the ratio is 4/3" (N / (N - 1))
    x, gamma, beta = inputs((4, 3), 3)
    ours, theirs = {'mode': 'train'}, {'mode': 'train'}
    batchnorm_forward(x, gamma, beta, ours)
    torch_batchnorm(x, gamma, beta, theirs)
    np.testing.assert_allclose(theirs['running_var'] / ours['running_var'], 4 / 3, rtol=1e-12)


def test_torch_accepts_one_image_in_spatial_batchnorm_when_h_times_w_exceeds_one():
    # the refusal is about one value per channel: (1, C, H, W) has H * W values per channel
    x, gamma, beta = inputs((1, 3, 2, 2), 3)
    ours_param, torch_param = {'mode': 'train'}, {'mode': 'train'}
    assert_same_pass(spatial_batchnorm_forward, torch_spatial_batchnorm, spatial_batchnorm_backward,
                     (x, gamma, beta), ((ours_param,), (torch_param,)))
    with pytest.raises(ValueError, match='more than 1 value per channel'):
        torch_spatial_batchnorm(x[:, :, :1, :1], gamma, beta, {'mode': 'train'})
