# %% [markdown] lang="zh"
# # 白化：配套 Notebook
#
# 本 notebook 配合[白化](../../whitening/)一页使用，在线看到的是构建网站时执行的结果。为了跑得快，这里用的样本比页面上少。
#
# 想自己运行，先[下载 .ipynb](../whitening.ipynb)，在任意一个 Jupyter 里打开（本地的，或你自己选的在线 Jupyter，Python 3.11+ 即可），再从头依次运行。第一个代码单元用 `%pip install` 从本站安装 `cs231n-faq` 包（也就是 `snippets` 的代码，只依赖 numpy 和 matplotlib），后面的单元都从这个包导入代码。在克隆下来的仓库里，`scripts/setup` 已经把这个包装进 `.venv`：用 `.venv` 里的 Python 打开本文件，跳过第一个代码单元即可。

# %% [markdown] lang="en"
# # Whitening: companion notebook
#
# The companion of the [whitening](../../whitening/) page; what you see online was executed when the
# site was built. To run fast, it uses smaller samples than the page.
#
# To run it yourself, [download the .ipynb](../whitening.ipynb), open it in any Jupyter with Python
# 3.11+ (your own, or a hosted one you choose) and run the cells from the top. The first code cell
# installs the `cs231n-faq` package (the `snippets` code, which needs only numpy and matplotlib)
# from this site with `%pip install`; the other cells import from it. In a clone of the repository,
# `scripts/setup` has already installed the package into `.venv`: open the notebook with the Python
# in `.venv` and skip that cell.

# %% tags=["skip-execution"]
# %pip install {{ wheel_url }}

# %%
import numpy as np

from snippets.data import load_photo
from snippets.experiments.whitening import (colour_share, grey, neighbour_correlation, power_law_field,
                                            random_crops, white_gaussian_floor)
from snippets.reporting import rank_correlation
from snippets.whitening import (image_frequency, mode_frequency, pca_fit, pca_reduce, pca_whiten,
                                power_spectrum, spectral_slope, whiten_by_eigenvalue, zca_whiten)

# %% [markdown] lang="zh"
# ## 1. 32×32×3 裁块的 PCA：前 144 个特征向量
#
# 页面上用了 4200 个裁块；这里每张照片取 1100 个，共 3300 个，仍然多于 3072 维。

# %% [markdown] lang="en"
# ## 1. PCA of 32×32×3 crops: the top 144 eigenvectors
#
# The page uses 4200 crops; here 1100 per photo, 3300 in all, still more than the 3072 dimensions.

# %%
rng = np.random.default_rng(0)
X = np.concatenate([random_crops(load_photo(name), 32, 1100, rng)
                    for name in ("astronaut", "chelsea", "coffee")])
mean, U, S = pca_fit(X, 144)
print("X:", X.shape, " U:", U.shape, " S:", S.shape)
print("lambda_1 / lambda_144 =", round(S[0] / S[-1]))
print("variance kept by 144 modes:", round(S.sum() / X.var(axis=0).sum(), 4))

# %% [markdown] lang="zh"
# ## 2. 特征向量的频率随序号上升

# %% [markdown] lang="en"
# ## 2. The eigenvectors' frequency rises with rank

# %%
f = mode_frequency(U.T, (32, 32, 3))
print("rank correlation (rank, frequency):", round(rank_correlation(np.arange(144), f), 3))
print("mean frequency of modes 1-5:", f[:5].round(3), " 140-144:", f[-5:].round(3))

# %% [markdown] lang="zh"
# ## 3. 白化：协方差变成单位矩阵，前 10 个主成分的占比变成 10/144

# %% [markdown] lang="en"
# ## 3. Whitening: the covariance becomes I, the top-10 share becomes 10/144

# %%
Xw = pca_whiten(X, mean, U, S, eps=1e-5)
cov = Xw.T @ Xw / len(Xw)
print("max |cov - I| =", np.abs(cov - np.eye(144)).max())
print("top-10 share before:", round(S[:10].sum() / S.sum(), 3),
      " after:", round(np.diag(cov)[:10].sum() / np.trace(cov), 4), " 10/144 =", round(10 / 144, 4))
wrong = whiten_by_eigenvalue(X, mean, U, S, eps=1e-5)
print("dividing by lambda: variances from", wrong.var(axis=0).min().round(4), "to", wrong.var(axis=0).max().round(1))

# %% [markdown] lang="zh"
# ## 3b. 新裁块上的白化：和抽样噪声比一比
#
# 用同一个白化变换处理 600 个新裁块，再拿协方差确实为单位矩阵的白色高斯数据（同样 600 个样本、144 维）作比较：后者的方差范围完全来自抽样，就是噪声底。

# %% [markdown] lang="en"
# ## 3b. Whitening new crops: compared with sampling noise
#
# The same whitening applied to 600 new crops, compared with white Gaussian data whose covariance
# really is the identity (also 600 samples, 144 dimensions): the latter's range is the noise floor
# that sampling alone produces.

# %%
rng_new = np.random.default_rng(11)
X_new = np.concatenate([random_crops(load_photo(name), 32, 200, rng_new)
                        for name in ("astronaut", "chelsea", "coffee")])
d_new = np.diag(np.cov(pca_whiten(X_new, mean, U, S), rowvar=False, bias=True))
d_floor = np.diag(white_gaussian_floor(len(X_new), 144))
print("new crops: variances", d_new.min().round(2), "to", d_new.max().round(2), " mean", d_new.mean().round(3))
print("white Gaussian, same n: ", d_floor.min().round(2), "to", d_floor.max().round(2), " mean", d_floor.mean().round(3))

# %% [markdown] lang="zh"
# ## 4. 四幅图
#
# 依次是原图、前 16 个特征向量、用 144 个主成分的重建，以及 ZCA 白化后转回像素的结果。

# %% [markdown] lang="en"
# ## 4. The four panels
#
# Originals, the top 16 eigenvectors, the rebuild from 144 principal components, ZCA-whitened and rotated back.

# %%
import matplotlib.pyplot as plt

def mosaic(rows, stretch):
    tiles = []
    for v in rows[:16]:
        v = (v - v.min()) / np.ptp(v) if stretch else np.clip(v, 0, 1)
        tiles.append(v.reshape(32, 32, 3))
    return np.concatenate([np.concatenate(tiles[r * 4:r * 4 + 4], axis=1) for r in range(4)], axis=0)

show = X[::len(X) // 16][:16]
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8))
for ax, (rows, stretch, title) in zip(axes, [
        (show, False, "X"), (U.T, True, "U[:, :16]"),
        (pca_reduce(show, mean, U), False, "144 modes"), (zca_whiten(show, mean, U, S), True, "ZCA")]):
    ax.imshow(mosaic(rows, stretch))
    ax.set_title(title)
    ax.axis("off")
plt.show()

# %% [markdown] lang="zh"
# ## 4b. 颜色没有消失
#
# 先减去每块自己的平均颜色，再看块内起伏的方差里，颜色（三个通道之差）占多少。白化后颜色的份额反而更大，因为方差小的颜色对立主成分也被放大到了方差 1。

# %% [markdown] lang="en"
# ## 4b. Colour does not disappear
#
# After removing each crop's own mean colour, how much of the variation inside a crop is colour (the
# differences between the channels)? More after whitening, because the colour-opponent components of
# small variance are brought to variance 1 too.

# %%
print("colour share inside a crop: X", round(colour_share(X[:600]), 3),
      " ZCA", round(colour_share(zca_whiten(X[:600], mean, U, S)), 3))

# %% [markdown] lang="zh"
# ## 5. 功率谱斜率：照片、纹理和两个对照

# %% [markdown] lang="en"
# ## 5. Spectral slopes: photographs, textures and two controls

# %%
sources = {name: grey(load_photo(name)) for name in ("astronaut", "camera", "grass", "brick")}
sources["1/f^2"] = power_law_field(512, 2.0, rng)
sources["white"] = power_law_field(512, 0.0, rng)
for name, image in sources.items():
    print(f"{name:10s} alpha = {spectral_slope(*power_spectrum(image))[0]:.2f}")

# %% [markdown] lang="zh"
# ## 6. 加大 eps：16×16 灰度块的完整白化
#
# r1 是输出中水平相邻两个像素的相关系数，白噪声的 r1 为 0。
# eps 很小时，输出是“白”的：r1 接近 0，平均频率和白噪声相同。

# %% [markdown] lang="en"
# ## 6. Raising eps: full whitening of 16×16 grey patches
#
# r1 is the correlation of horizontally adjacent output pixels, 0 for white noise. With a tiny eps the
# output is white: r1 near 0 and the mean frequency of white noise.

# %%
P = random_crops(sources["astronaut"], 16, 2000, rng)
mean_p, U_p, S_p = pca_fit(P, 256)
noise = np.random.default_rng(12).standard_normal((1000, 256))
print(f"X:           r1 = {neighbour_correlation(P, 16):.2f}, mean f = {image_frequency(P[:1000], (16, 16, 1)):.3f}")
print(f"white noise: r1 = {neighbour_correlation(noise, 16):.2f}, mean f = {image_frequency(noise, (16, 16, 1)):.3f}")
for eps in (1e-5, 1e-3, 1e-1):
    Z = zca_whiten(P, mean_p, U_p, S_p, eps)
    print(f"eps = {eps:g}: effective number of components {np.sum(S_p / (S_p + eps)):.1f}, "
          f"r1 = {neighbour_correlation(Z, 16):.2f}, mean f = {image_frequency(Z[:1000], (16, 16, 1)):.3f}")
