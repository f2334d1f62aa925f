"""snippets.numerical_gradient: centred differences against derivatives known in closed form."""
import numpy as np
import pytest

from snippets.numerical_gradient import (backward_errors, eval_numerical_gradient,
                                         eval_numerical_gradient_array, rel_error)


def test_numerical_gradient_of_sum_of_squares_is_2x():
    x = np.random.default_rng(0).standard_normal((3, 4))
    grad = eval_numerical_gradient(lambda x: np.sum(x ** 2), x, verbose=False)
    # centred differences are exact for a quadratic up to rounding: (|f| * 1e-16) / h ~ 1e-10
    np.testing.assert_allclose(grad, 2 * x, rtol=0, atol=1e-9)


def test_numerical_gradient_leaves_x_unchanged():
    x = np.random.default_rng(1).standard_normal(5)
    before = x.copy()
    eval_numerical_gradient(lambda x: np.sum(np.sin(x)), x, verbose=False)
    np.testing.assert_array_equal(x, before)


def test_verbose_prints_one_line_per_entry(capsys):
    eval_numerical_gradient(lambda x: float(np.sum(x)), np.zeros((2, 3)), verbose=True)
    assert len(capsys.readouterr().out.splitlines()) == 6


def test_numerical_gradient_array_is_the_chain_rule_through_a_matrix():
    rng = np.random.default_rng(2)
    A, x, df = rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(4)
    grad = eval_numerical_gradient_array(lambda x: A.dot(x), x, df)
    # d/dx sum(A x * df) = A^T df; linear, so only rounding error (~1e-10)
    np.testing.assert_allclose(grad, A.T.dot(df), rtol=0, atol=1e-9)


def test_rel_error_basics():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0          # the 1e-8 floor avoids 0 / 0
    assert rel_error(np.array([1.0, 1.0]), np.array([1.0, 3.0])) == pytest.approx(0.5)  # max


def test_backward_errors_catches_a_wrong_gradient():
    forward = lambda x: (x ** 2, x)
    right = backward_errors(forward, lambda dout, x: dout * 2 * x, [np.linspace(1, 2, 5)])
    wrong = backward_errors(forward, lambda dout, x: dout * x, [np.linspace(1, 2, 5)])
    assert right[0] < 1e-8 and wrong[0] > 0.3                # wrong by a factor 2: 1/3


@pytest.mark.parametrize('h', [0, -1e-5, float('nan')])
def test_step_must_be_positive(h):
    with pytest.raises(ValueError, match=r'\bh\b'):
        eval_numerical_gradient(np.sum, np.zeros(2), verbose=False, h=h)


def test_x_must_be_a_float_array():
    with pytest.raises(ValueError, match=r'\bx\b'):
        eval_numerical_gradient(np.sum, np.zeros(2, dtype=int), verbose=False)
    with pytest.raises(ValueError, match=r'\bx\b'):
        eval_numerical_gradient_array(lambda x: x, [1.0, 2.0], np.ones(2))


def test_df_must_match_the_output_shape():
    with pytest.raises(ValueError, match=r'\bdf\b'):
        eval_numerical_gradient_array(lambda x: x, np.zeros(3), np.ones(4))
    with pytest.raises(ValueError, match=r'\bdf\b'):
        eval_numerical_gradient_array(lambda x: x, np.zeros(3), [1.0, 1.0, 1.0])


def test_rel_error_needs_equal_shapes():
    with pytest.raises(ValueError, match=r'\by\b'):
        rel_error(np.zeros(3), np.zeros(4))


def test_the_array_checker_subtracts_before_weighting_as_cs231n_does():
    """cs231n's eval_numerical_gradient_array computes sum((pos - neg) * df) / 2h. Weighting each
    side first (sum(pos * df) - sum(neg * df)) is the same in exact arithmetic but not in floating
    point: this test fails on that variant, which moved the normalization page's batchnorm dx error."""
    rng = np.random.RandomState(231)
    x, w, df = 5 * rng.randn(4, 5) + 12, rng.randn(5, 5), rng.randn(4, 5)
    f = lambda x: np.tanh(x.dot(w) / 10) * 1e3

    def cs231n(f, x, df, h=1e-5):            # the assignment's loop, verbatim in substance
        grad = np.zeros_like(x)
        it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
        while not it.finished:
            ix = it.multi_index
            oldval = x[ix]
            x[ix] = oldval + h
            pos = f(x).copy()
            x[ix] = oldval - h
            neg = f(x).copy()
            x[ix] = oldval
            grad[ix] = np.sum((pos - neg) * df) / (2 * h)
            it.iternext()
        return grad

    ours = eval_numerical_gradient_array(f, x, df)
    np.testing.assert_array_equal(ours, cs231n(f, x, df))
    weighted_first = eval_numerical_gradient(lambda x: np.sum(f(x) * df), x, verbose=False)
    assert not np.array_equal(weighted_first, ours)
