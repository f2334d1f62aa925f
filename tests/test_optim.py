"""snippets.optim: SGD with momentum trains the two-layer net, stops before inf, averages weights."""
import numpy as np
import pytest

from snippets.layers import two_layer_net_accuracy, two_layer_net_init
from snippets.optim import exponential_moving_average, sgd_momentum, sgd_train


def _net_case(seed=231):
    rng = np.random.default_rng(seed)
    params = two_layer_net_init(5, 7, 4, 0.5, seed=0)
    params['b1'], params['b2'] = rng.standard_normal(7), rng.standard_normal(4)
    return params, rng.standard_normal((6, 5)), rng.integers(0, 4, size=6)


def test_sgd_momentum_is_the_assignments_update():
    w, dw = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    config = {'learning_rate': 0.1, 'momentum': 0.9, 'velocity': np.array([1.0, 0.0])}
    next_w, config = sgd_momentum(w, dw, config)
    np.testing.assert_allclose(config['velocity'], [0.9 - 0.05, -0.05])
    np.testing.assert_allclose(next_w, w + config['velocity'])


def test_sgd_train_lowers_the_loss_on_the_digits_and_keeps_one_checkpoint_per_epoch():
    from snippets.data import load_digits
    X, y = load_digits()
    X = X[:500] / 16.0 - (X[:500] / 16.0).mean(axis=0)
    params = two_layer_net_init(64, 32, 10, 0.1, seed=0)
    result = sgd_train(params, X, y[:500], 0.1, reg=1e-3, epochs=5, batch_size=50, seed=0,
                       keep_steps=True)
    assert len(result['checkpoints']) == 5 and not result['diverged']
    assert len(result['loss_history']) == len(result['steps']) == 5 * 10
    # initial loss ~ ln 10 = 2.30 (small weights); after 5 epochs well below 1
    assert result['loss_history'][0] > 2.0 and np.mean(result['loss_history'][-10:]) < 1.0
    assert two_layer_net_accuracy(result['params'], X, y[:500]) > 0.9
    assert params['W1'] is not result['params']['W1']          # the input is not changed
    for k in params:                                            # the last checkpoint = final
        np.testing.assert_array_equal(result['checkpoints'][-1][k], result['params'][k])


def test_sgd_train_stops_before_inf_weights():
    params, X, y = _net_case()
    result = sgd_train(params, 1e150 * X, y, 1e150, epochs=3, batch_size=6)
    assert result['diverged']
    assert all(np.all(np.isfinite(v)) for v in result['params'].values())


def test_exponential_moving_average_is_the_recurrence_and_weighs_recent_steps_more():
    initial = {'w': np.zeros(2)}
    steps = [{'w': np.full(2, float(t))} for t in range(1, 4)]
    ema = exponential_moving_average(initial, steps, 0.5)
    # ((0 * .5 + .5 * 1) * .5 + .5 * 2) * .5 + .5 * 3 = 2.125, closer to 3 than the mean 2
    np.testing.assert_allclose(ema['w'], 2.125)
    with pytest.raises(ValueError, match='decay'):
        exponential_moving_average(initial, steps, 1.0)


@pytest.mark.parametrize('kwargs, name', [
    ({'learning_rate': 0.0}, 'learning_rate'), ({'epochs': 0}, 'epochs'),
    ({'batch_size': 1.5}, 'batch_size'), ({'momentum': 1.0}, 'momentum'),
    ({'reg': -1.0}, 'reg'),
])
def test_sgd_train_rejects_bad_settings(kwargs, name):
    params, X, y = _net_case()
    settings = dict(learning_rate=0.1, epochs=1, batch_size=2) | kwargs
    with pytest.raises(ValueError, match=name):
        sgd_train(params, X, y, **settings)


def test_exponential_moving_average_is_not_the_uniform_polyak_average():
    # closed form: ema_T = d^T w_0 + (1 - d) sum_t d^(T - t) w_t; a uniform (Polyak) average
    # weighs every w_t by 1 / T. The ensembles page names the two apart.
    d, T = 0.9, 30
    initial = {'w': np.array([5.0])}
    steps = [{'w': np.array([float(t)])} for t in range(1, T + 1)]
    closed = d ** T * 5.0 + (1 - d) * sum(d ** (T - t) * t for t in range(1, T + 1))
    np.testing.assert_allclose(exponential_moving_average(initial, steps, d)['w'], closed, rtol=1e-12)
    uniform = np.mean([s['w'] for s in steps])
    assert abs(closed - uniform) > 1.0
