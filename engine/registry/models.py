"""Model registry: shapes, parameter counts and work per token/sequence/image, each cited.

Parameter counts are counts (unit 'parameters'); work is in FLOP with the denominator in the field name
(`flop_per_token`, `flop_per_image`). Stand-in workloads that the labs use as round numbers are marked assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.errors import require_choice
from engine.provenance import Cited, assumed, build_record, derived, spec
from engine.registry import sources as S


@dataclass(frozen=True)
class Model:
    """A model's size. Fields a lab does not need yet stay None rather than guessed."""

    key: str
    name: str
    params: float
    # --- engine v1 additions (None when the model does not have the field or a lab does not need it) ----------
    family: str | None = None  # "decoder", "encoder", "cnn", "moe", "mlp", "vit-clip"
    layers: float | None = None
    hidden: float | None = None  # d_model
    heads: float | None = None
    kv_heads: float | None = None
    ffn_hidden: float | None = None
    attention_head_dim: float | None = None  # only when it is not d_model / heads (PaLM: 256)
    ffn_matrices: float | None = None  # 2 for GELU MLPs, 3 for SwiGLU
    vocab: float | None = None
    max_context_tokens: float | None = None
    experts: float | None = None
    experts_per_token: float | None = None
    active_params: float | None = None  # parameters used per token (MoE)
    training_tokens: float | None = None
    training_flop: float | None = None  # total, as published
    flop_per_token_forward: float | None = None  # ≈ 2 × (active) params; attention excluded
    macs_per_image: float | None = None
    flop_per_image: float | None = None  # 2 × MAC
    ops_per_inference: float | None = None  # integer ops as printed by an MCU paper
    flop_per_sample_forward: float | None = None  # e.g. one image–text pair through CLIP
    activation_elements_per_image: float | None = None
    kernels_per_image: float | None = None
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)

    @property
    def head_dim(self) -> float | None:
        """d_head = d_model / heads (derived, so never stored), unless the paper states another head size."""
        if self.attention_head_dim is not None:
            return self.attention_head_dim
        if self.hidden is None or self.heads is None:
            return None
        return self.hidden / self.heads


ASSISTANT_7B = build_record(
    Model,
    key="assistant_7b",
    name="7B assistant (stand-in for 7B-class open models)",
    params=assumed(7.0e9, "parameters", S.LABS_STAND_INS, "a round stand-in for 7B-class open models"),
)
ASSISTANT_3B = build_record(
    Model,
    key="assistant_3b",
    name="3B assistant (stand-in for 3B-class open models)",
    params=assumed(3.0e9, "parameters", S.LABS_STAND_INS, "a round stand-in for 3B-class open models"),
)

# --- engine v1: ResNet-50 kernel list (v1-02 derives ops, activations and kernel count from it) ----------------


def resnet50_kernels() -> tuple[tuple[str, int, int, int, int, int, int, bool], ...]:
    """ResNet-50 (torchvision v1.5) at 224 px as fused kernels: (kind, C_in, C_out, k, stride, H_in, H_out, adds_residual).

    53 convolutions (BN, ReLU and the residual add folded in), max-pool, average-pool and the FC layer = 56 kernels.
    Source: He et al. 2016, Table 1 (50-layer column); torchvision resnet.py (stride on the 3×3 convolution).
    """
    kernels: list[tuple[str, int, int, int, int, int, int, bool]] = [
        ("conv", 3, 64, 7, 2, 224, 112, False),
        ("maxpool", 64, 64, 3, 2, 112, 56, False),
    ]
    h, c_in = 56, 64
    for mid, out, blocks, stride in ((64, 256, 3, 1), (128, 512, 4, 2), (256, 1024, 6, 2), (512, 2048, 3, 2)):
        for i in range(blocks):
            s = stride if i == 0 else 1
            h_out = h // s
            kernels.append(("conv", c_in, mid, 1, 1, h, h, False))
            kernels.append(("conv", mid, mid, 3, s, h, h_out, False))
            kernels.append(("conv", mid, out, 1, 1, h_out, h_out, True))
            if i == 0:
                kernels.append(("conv", c_in, out, 1, s, h, h_out, False))
            c_in, h = out, h_out
    kernels.append(("avgpool", 2048, 2048, 7, 1, 7, 1, False))
    kernels.append(("fc", 2048, 1000, 1, 1, 1, 1, False))
    return tuple(kernels)


def _resnet50_counts() -> tuple[int, int, int]:
    """(MACs, activation elements moved, kernels) of `resnet50_kernels`: each kernel reads its input and writes its
    output; a block's shortcut is read once by the kernel that adds it."""
    macs = elems = 0
    kernels = resnet50_kernels()
    for kind, c_in, c_out, k, _s, h_in, h_out, adds in kernels:
        if kind == "conv":
            macs += h_out * h_out * c_out * c_in * k * k
        elif kind == "fc":
            macs += c_in * c_out
        elems += c_in * h_in * h_in + c_out * h_out * h_out + (c_out * h_out * h_out if adds else 0)
    return macs, elems, len(kernels)


_R50_MACS, _R50_ELEMS, _R50_KERNELS = _resnet50_counts()
_RESNET_SRC = S.RESNET_TORCHVISION


def _decoder(key: str, name: str, source, params: Cited, *, layers, hidden, heads, kv_heads, ffn, ffn_matrices, vocab,
             context=None, tokens=None, training_flop=None, head_dim=None, note: str = "") -> Model:
    """A decoder-only transformer; every shape number cited to `source`; forward FLOP/token derived as 2N."""
    c = lambda v, what: spec(v, "count", source, what)  # noqa: E731 - local shorthand
    return build_record(
        Model,
        key=key,
        name=name,
        params=params,
        family="decoder",
        layers=c(layers, "layers"),
        hidden=c(hidden, "d_model"),
        heads=c(heads, "attention heads"),
        kv_heads=c(kv_heads, "key/value heads" + (" (GQA)" if kv_heads != heads else "")),
        ffn_hidden=c(ffn, "MLP hidden width"),
        ffn_matrices=c(ffn_matrices, "matrices per MLP (3 = SwiGLU, 2 = GELU)"),
        vocab=c(vocab, "vocabulary"),
        max_context_tokens=None if context is None else spec(context, "tokens", source, "training context"),
        training_tokens=None if tokens is None else spec(tokens, "tokens", source, "training tokens"),
        training_flop=training_flop,
        attention_head_dim=None if head_dim is None else c(head_dim, "attention head size"),
        flop_per_token_forward=derived(
            2 * params.value, "FLOP", source, f"2 FLOP per parameter per token (2 × {params.value:,.0f}){note}"
        ),
    )


def _p(value: float, source, note: str = "parameters") -> Cited:
    return spec(value, "parameters", source, note)


RESNET50 = build_record(
    Model,
    key="resnet50",
    name="ResNet-50 (224×224)",
    params=_p(25_557_032, _RESNET_SRC, "num_params 25,557,032"),
    family="cnn",
    macs_per_image=derived(_R50_MACS, "MAC", S.RESNET_TORCHVISION, "summed over resnet50_kernels(); card: 4.09 GMAC"),
    flop_per_image=derived(2 * _R50_MACS, "FLOP", S.RESNET_TORCHVISION, "2 FLOP per MAC"),
    activation_elements_per_image=derived(
        _R50_ELEMS, "count", S.RESNET_TORCHVISION, "each kernel reads input, writes output; shortcut read once"
    ),
    kernels_per_image=derived(_R50_KERNELS, "count", S.RESNET_TORCHVISION, "53 conv + max-pool + avg-pool + FC"),
)
MOBILENET_V2 = build_record(
    Model,
    key="mobilenet_v2",
    name="MobileNetV2 1.0 (224×224)",
    params=_p(3_504_872, S.MOBILENETV2_TORCHVISION, "num_params 3,504,872 (paper: 3.4 M)"),
    family="cnn",
    macs_per_image=spec(300, "MMAC", S.MOBILENETV2_PAPER, "300 M multiply-adds (Table 4)"),
    flop_per_image=derived(600, "MOP", S.MOBILENETV2_PAPER, "2 × 300 M MAC = 0.6 G operations"),
)
EFFICIENTNET_B0 = build_record(
    Model,
    key="efficientnet_b0",
    name="EfficientNet-B0 (224×224)",
    params=_p(5.3e6, S.EFFICIENTNET_PAPER, "5.3 M parameters (Table 2)"),
    family="cnn",
    macs_per_image=spec(0.39, "GMAC", S.EFFICIENTNET_PAPER, "printed '0.39B FLOPs'; multiply-adds by convention"),
    flop_per_image=derived(0.78, "GFLOP", S.EFFICIENTNET_PAPER, "2 × 0.39 G multiply-adds"),
)
MOBILENET_V1 = build_record(
    Model,
    key="mobilenet_v1",
    name="MobileNetV1 1.0-224",
    params=_p(4.2e6, S.MOBILENETV1_PAPER, "4.2 M parameters (Table 8)"),
    family="cnn",
    macs_per_image=spec(569, "MMAC", S.MOBILENETV1_PAPER, "569 M mult-adds (Table 8)"),
)
DENSENET121 = build_record(
    Model,
    key="densenet121",
    name="DenseNet-121",
    params=_p(7_978_856, S.DENSENET_TORCHVISION, "num_params 7,978,856"),
    family="cnn",
)
YOLOV8N = build_record(
    Model,
    key="yolov8n",
    name="YOLOv8n (640 px)",
    params=_p(3.2e6, S.YOLOV8, "3.2 M parameters"),
    family="cnn",
    flop_per_image=spec(8.7, "GFLOP", S.YOLOV8, "8.7 GFLOP at 640 px"),
)
DS_CNN_KWS_SMALL = build_record(
    Model,
    key="ds_cnn_kws_small",
    name="DS-CNN keyword spotter (small)",
    params=spec(38.6e3, "parameters", S.HELLO_EDGE, "38.6 K parameters (38.6 KB at 8 bit)"),
    family="cnn",
    ops_per_inference=spec(5.4, "MOP", S.HELLO_EDGE_OPS, "5.4 M operations per inference (Table 7)"),
)
# v1-11: the microcontroller's dense layer (Part A) and its 4-layer stack (Part D); a labelled teaching stand-in.
KWS_DENSE_256 = build_record(
    Model,
    key="kws_dense_256",
    name="Keyword-spotting dense stack (4 × 256 × 256, INT8)",
    params=derived(4 * 256 * 256, "parameters", S.LABS_STAND_INS, "4 layers × 256 × 256 weights (biases ignored)"),
    family="mlp",
    layers=assumed(4, "count", S.LABS_STAND_INS, "a 4-layer keyword-spotting-sized stack (v1-11 Part D)"),
    hidden=assumed(256, "count", S.LABS_STAND_INS, "256 inputs: 64 kB of INT8 weights per layer fit the MCU"),
    ffn_hidden=assumed(256, "count", S.LABS_STAND_INS, "256 outputs per layer (square layers)"),
)


def _encoder(key, name, params, layers, hidden, heads) -> Model:
    c = lambda v, what: spec(v, "count", S.BERT_PAPER, what)  # noqa: E731
    return build_record(
        Model, key=key, name=name, params=_p(params, S.BERT_PAPER, f"{params / 1e6:.0f} M parameters"),
        family="encoder", layers=c(layers, "layers L"), hidden=c(hidden, "hidden H"), heads=c(heads, "heads A"),
        kv_heads=c(heads, "heads A (no GQA)"), ffn_hidden=c(4 * hidden, "4H feed-forward"),
        ffn_matrices=c(2, "two MLP matrices (GELU)"), vocab=c(30522, "WordPiece vocabulary"),
        max_context_tokens=spec(512, "tokens", S.BERT_PAPER, "max positions"),
        flop_per_token_forward=derived(2 * params, "FLOP", S.BERT_PAPER, "2 FLOP per parameter per token"),
    )


BERT_BASE = _encoder("bert_base", "BERT-base", 110e6, 12, 768, 12)
BERT_LARGE = _encoder("bert_large", "BERT-large", 340e6, 24, 1024, 16)

GPT2_SMALL = _decoder(
    "gpt2_small", "GPT-2 small (124M)", S.GPT2_CONFIG, _p(124_439_808, S.GPT2_CONFIG, "124,439,808 (tied head)"),
    layers=12, hidden=768, heads=12, kv_heads=12, ffn=3072, ffn_matrices=2, vocab=50257, context=1024,
)
GPT2_XL = _decoder(
    "gpt2_xl", "GPT-2 XL (1.5B)", S.GPT2_CONFIG, _p(1_557_611_200, S.GPT2_CONFIG, "1,557,611,200 (tied head)"),
    layers=48, hidden=1600, heads=25, kv_heads=25, ffn=6400, ffn_matrices=2, vocab=50257, context=1024,
)
GPT3_175B = _decoder(
    "gpt3_175b", "GPT-3 175B", S.GPT3_PAPER, _p(175e9, S.GPT3_PAPER, "175.0 B (Table 2.1)"),
    layers=96, hidden=12288, heads=96, kv_heads=96, ffn=4 * 12288, ffn_matrices=2, vocab=50257, context=2048,
    tokens=300e9, training_flop=spec(3.14e23, "FLOP", S.GPT3_PAPER, "Table D.1: 3.14e23 training FLOPs"),
)
OPT_175B = _decoder(
    "opt_175b", "OPT-175B", S.OPT_PAPER, _p(175e9, S.OPT_PAPER, "175 B"),
    layers=96, hidden=12288, heads=96, kv_heads=96, ffn=4 * 12288, ffn_matrices=2, vocab=50272, context=2048,
    tokens=180e9, training_flop=spec(4.30e23, "FLOP", S.OPT_PAPER, "logbook: 4.30e23 FLOPs"),
)
LLAMA_7B = _decoder(
    "llama_7b", "LLaMA-7B", S.LLAMA1_PAPER, _p(6_738_415_616, S.LLAMA1_PAPER, "6.7 B (Table 2); exact count of the release"),
    layers=32, hidden=4096, heads=32, kv_heads=32, ffn=11008, ffn_matrices=3, vocab=32000, context=2048, tokens=1.0e12,
)
LLAMA_13B = _decoder(
    "llama_13b", "LLaMA-13B", S.LLAMA1_PAPER, _p(13_015_864_320, S.LLAMA1_PAPER, "13.0 B; exact count of the release"),
    layers=40, hidden=5120, heads=40, kv_heads=40, ffn=13824, ffn_matrices=3, vocab=32000, context=2048, tokens=1.0e12,
)
LLAMA_33B = _decoder(
    "llama_33b", "LLaMA-33B", S.LLAMA1_PAPER, _p(32.5e9, S.LLAMA1_PAPER, "32.5 B (Table 2)"),
    layers=60, hidden=6656, heads=52, kv_heads=52, ffn=17920, ffn_matrices=3, vocab=32000, context=2048, tokens=1.4e12,
)
LLAMA_65B = _decoder(
    "llama_65b", "LLaMA-65B", S.LLAMA1_PAPER, _p(65.2e9, S.LLAMA1_PAPER, "65.2 B (Table 2)"),
    layers=80, hidden=8192, heads=64, kv_heads=64, ffn=22016, ffn_matrices=3, vocab=32000, context=2048, tokens=1.4e12,
)
LLAMA2_7B = _decoder(
    "llama2_7b", "Llama-2-7B", S.LLAMA2_CARD, _p(6_738_415_616, S.LLAMA2_CARD, "6,738,415,616 (model card)"),
    layers=32, hidden=4096, heads=32, kv_heads=32, ffn=11008, ffn_matrices=3, vocab=32000, context=4096, tokens=2.0e12,
)
LLAMA2_13B = _decoder(
    "llama2_13b", "Llama-2-13B", S.LLAMA2_CARD, _p(13_015_864_320, S.LLAMA2_CARD, "13,015,864,320"),
    layers=40, hidden=5120, heads=40, kv_heads=40, ffn=13824, ffn_matrices=3, vocab=32000, context=4096, tokens=2.0e12,
)
LLAMA2_70B = _decoder(
    "llama2_70b", "Llama-2-70B", S.LLAMA2_CARD, _p(68_976_648_192, S.LLAMA2_CARD, "68,976,648,192"),
    layers=80, hidden=8192, heads=64, kv_heads=8, ffn=28672, ffn_matrices=3, vocab=32000, context=4096, tokens=2.0e12,
)
LLAMA3_8B = _decoder(
    "llama3_8b", "Llama-3-8B", S.LLAMA3_PAPER, _p(8_030_261_248, S.LLAMA3_PAPER, "8,030,261,248 (HF config count)"),
    layers=32, hidden=4096, heads=32, kv_heads=8, ffn=14336, ffn_matrices=3, vocab=128256, context=8192, tokens=15e12,
)
LLAMA3_70B = _decoder(
    "llama3_70b", "Llama-3-70B", S.LLAMA3_PAPER, _p(70_553_706_496, S.LLAMA3_PAPER, "70,553,706,496 (HF config count)"),
    layers=80, hidden=8192, heads=64, kv_heads=8, ffn=28672, ffn_matrices=3, vocab=128256, context=8192, tokens=15e12,
)
LLAMA3_405B = _decoder(
    "llama3_405b", "Llama-3.1-405B", S.LLAMA3_PAPER, _p(405e9, S.LLAMA3_PAPER, "405 B (Table 3, nominal)"),
    layers=126, hidden=16384, heads=128, kv_heads=8, ffn=53248, ffn_matrices=3, vocab=128256, context=8192,
    tokens=15.6e12, training_flop=spec(3.8e25, "FLOP", S.LLAMA3_PAPER, "§3.2: 3.8e25 FLOPs"),
)
PALM_540B = _decoder(
    "palm_540b", "PaLM 540B", S.PALM_PAPER, _p(540.35e9, S.PALM_PAPER, "540.35 B (Table 1)"),
    layers=118, hidden=18432, heads=48, kv_heads=1, ffn=4 * 18432, ffn_matrices=3, vocab=256000, context=2048,
    tokens=780e9, head_dim=256,
)
CHINCHILLA_70B = build_record(
    Model, key="chinchilla_70b", name="Chinchilla 70B", params=_p(70e9, S.CHINCHILLA_PAPER, "70 B"), family="decoder",
    training_tokens=spec(1.4e12, "tokens", S.CHINCHILLA_PAPER, "1.4 T tokens"),
)
GOPHER_280B = build_record(
    Model, key="gopher_280b", name="Gopher 280B", params=_p(280e9, S.CHINCHILLA_PAPER, "280 B"), family="decoder",
    training_tokens=spec(300e9, "tokens", S.CHINCHILLA_PAPER, "300 B tokens"),
    training_flop=spec(5.76e23, "FLOP", S.CHINCHILLA_PAPER, "Table 3 budget 5.76e23 (R in the fidelity set)"),
)
MEGATRON_1T = build_record(
    Model, key="megatron_1t", name="Megatron GPT 1T (Narayanan 2021 Table 1)",
    params=_p(1008e9, S.MEGATRON_2021, "1,008 B (Table 1)"), family="decoder",
    layers=spec(128, "count", S.MEGATRON_2021, "layers"), hidden=spec(25600, "count", S.MEGATRON_2021, "hidden"),
    heads=spec(160, "count", S.MEGATRON_2021, "attention heads"),
)
MIXTRAL_8X7B = build_record(
    Model, key="mixtral_8x7b", name="Mixtral 8x7B", params=_p(46.7e9, S.MIXTRAL_PAPER, "46.7 B total"), family="moe",
    layers=spec(32, "count", S.MIXTRAL_PAPER, "layers"), hidden=spec(4096, "count", S.MIXTRAL_PAPER, "dim"),
    heads=spec(32, "count", S.MIXTRAL_PAPER, "heads"), kv_heads=spec(8, "count", S.MIXTRAL_PAPER, "KV heads"),
    ffn_hidden=spec(14336, "count", S.MIXTRAL_PAPER, "expert hidden dim"),
    ffn_matrices=spec(3, "count", S.MIXTRAL_PAPER, "SwiGLU experts"),
    vocab=spec(32000, "count", S.MIXTRAL_PAPER, "vocab"),
    max_context_tokens=spec(32768, "tokens", S.MIXTRAL_PAPER, "context length"),
    experts=spec(8, "count", S.MIXTRAL_PAPER, "experts per layer"),
    experts_per_token=spec(2, "count", S.MIXTRAL_PAPER, "top-2 routing"),
    active_params=spec(12.9e9, "parameters", S.MIXTRAL_PAPER, "12.9 B active per token"),
    flop_per_token_forward=derived(2 * 12.9e9, "FLOP", S.MIXTRAL_PAPER, "2 × 12.9 B active parameters"),
)


def _clip(key, name, params, flop_pair) -> Model:
    return build_record(
        Model, key=key, name=name, params=_p(params, S.OPENCLIP_RESULTS, "model_profile.csv parameters"),
        family="vit-clip",
        flop_per_sample_forward=spec(flop_pair, "GFLOP", S.OPENCLIP_RESULTS, "forward GFLOP per image–text pair"),
    )


CLIP_VIT_B32 = _clip("clip_vit_b32", "CLIP ViT-B/32", 151.28e6, 14.78)
CLIP_VIT_B16 = _clip("clip_vit_b16", "CLIP ViT-B/16", 149.62e6, 41.09)
CLIP_VIT_L14 = _clip("clip_vit_l14", "CLIP ViT-L/14", 427.62e6, 175.33)
# v1-09 Part C: the image tower alone (DataComp's image-based filter clusters L/14 image embeddings only).
CLIP_VIT_L14_IMAGE_TOWER = build_record(
    Model, key="clip_vit_l14_image", name="CLIP ViT-L/14 image tower",
    params=_p(303.97e6, S.OPENCLIP_RESULTS, "model_profile.csv image_mparams 303.97 (ViT-L-14 row)"),
    family="vit-clip",
    flop_per_sample_forward=spec(162.03, "GFLOP", S.OPENCLIP_RESULTS, "model_profile.csv image_gflops per image"),
)

_dp_in, _dp_hidden, _dp_out = 60, 1000, 10
DP_MNIST_MLP = build_record(
    Model, key="dp_mnist_mlp", name="Abadi et al. 2016 digit model (60-d PCA → 1,000 ReLU → 10)",
    params=derived(
        _dp_in * _dp_hidden + _dp_hidden + _dp_hidden * _dp_out + _dp_out, "parameters", S.ABADI_DP,
        "60 × 1,000 + 1,000 + 1,000 × 10 + 10 (weights and biases)",
    ),
    family="mlp",
)

MODELS: Mapping[str, Model] = {
    m.key: m
    for m in (
        ASSISTANT_7B, ASSISTANT_3B, DS_CNN_KWS_SMALL, RESNET50, MOBILENET_V2, EFFICIENTNET_B0, MOBILENET_V1,
        DENSENET121, YOLOV8N, BERT_BASE, BERT_LARGE, GPT2_SMALL, GPT2_XL, GPT3_175B, OPT_175B, LLAMA_7B, LLAMA_13B,
        LLAMA_33B, LLAMA_65B, LLAMA2_7B, LLAMA2_13B, LLAMA2_70B, LLAMA3_8B, LLAMA3_70B, LLAMA3_405B, PALM_540B,
        CHINCHILLA_70B, GOPHER_280B, MEGATRON_1T, MIXTRAL_8X7B, CLIP_VIT_B32, CLIP_VIT_B16, CLIP_VIT_L14, DP_MNIST_MLP,
    )
}


# --- v1-05: frozen-MLP adaptation jobs per context (labelled assumptions) ------------------------------------


@dataclass(frozen=True)
class FrozenMlpJob:
    """v1-05's per-context on-device adaptation job: width, hidden layers, batch, precision, head, chip budget."""

    context: str
    width: float
    depth: float
    batch: float
    precision_bits: float
    classes: float
    trainable_bytes_per_param: float
    chip_budget_bytes: float
    citations: Mapping[str, Cited] = field(default_factory=dict, repr=False, compare=False)


def _job(ctx, width, depth, batch, bits, state_bytes, budget: Cited) -> FrozenMlpJob:
    a = lambda v, u, why: assumed(v, u, S.LABS_ASSUMPTIONS, why)  # noqa: E731
    return build_record(
        FrozenMlpJob, context=ctx, width=a(width, "count", "v1-05 job table: width W"),
        depth=a(depth, "count", "v1-05 job table: hidden layers L"), batch=a(batch, "count", "v1-05 job table: batch"),
        precision_bits=a(bits, "bit", "v1-05 job table: training precision"),
        classes=a(10, "count", "v1-05: a head of 10 classes"),
        trainable_bytes_per_param=a(
            state_bytes, "B", "mixed-precision Adam 2+2+12 B (ZeRO §3.1); fp32 on tiny 4+4+8 B"
        ),
        chip_budget_bytes=budget,
    )


def _ctx_cite(key: str, field_name: str) -> Cited:
    from engine.registry.hardware import get_context  # local import: hardware does not import models

    return get_context(key).device.citations[field_name]


FROZEN_MLP_JOBS: Mapping[str, FrozenMlpJob] = {
    "cloud": _job("cloud", 4096, 8, 1024, 16, 16, _ctx_cite("cloud", "on_chip_memory_bytes")),
    "edge": _job("edge", 1024, 8, 256, 16, 16, _ctx_cite("edge", "on_chip_memory_bytes")),
    "mobile": _job("mobile", 1024, 8, 512, 16, 16, _ctx_cite("mobile", "on_chip_memory_bytes")),
    "tiny": _job(
        "tiny", 128, 8, 32, 32, 16,
        assumed(128, "KiB", S.LABS_ASSUMPTIONS, "128 KiB of the 1 MiB SRAM; the rest holds buffers, arena, RTOS"),
    ),
}


def frozen_mlp_jobs(context: str) -> FrozenMlpJob:
    """Return v1-05's frozen-MLP job for `context` (cloud, edge, mobile, tiny)."""
    return FROZEN_MLP_JOBS[require_choice("context", context, tuple(FROZEN_MLP_JOBS))]


def get_model(key: str) -> Model:
    """Return the registry model `key`."""
    return MODELS[require_choice("model", key, tuple(MODELS))]
