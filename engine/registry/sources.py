"""The documents that registry numbers cite. One Source per document; records point here by object."""

from engine.provenance import Source

H100_DATASHEET = Source(
    "nvidia-h100-datasheet",
    "NVIDIA H100 Tensor Core GPU datasheet (SXM column); dense = half the 'with sparsity' figure",
)
H100_WHITEPAPER = Source("nvidia-h100-whitepaper", "NVIDIA H100 Tensor Core GPU Architecture whitepaper", "L2 cache")
ORIN_BRIEF = Source(
    "nvidia-jetson-agx-orin-brief",
    "NVIDIA Jetson AGX Orin Series technical brief and module datasheet (64 GB module)",
)
A17_ANNOUNCEMENT = Source("apple-a17-pro-2023", "Apple A17 Pro announcement, September 2023", "Neural Engine")
PHONE_ESTIMATES = Source(
    "labs-phone-estimates",
    "Labs teaching estimates for an A17 Pro-class phone (Apple publishes no per-app memory limit, bandwidth, "
    "cache size or sustained power)",
)
STM32H7_DATASHEET = Source("st-ds12110", "STMicroelectronics DS12110 (STM32H743xI datasheet)")
CORTEX_M7_TRM = Source("arm-cortex-m7-trm", "Arm Cortex-M7 Technical Reference Manual", "SMLAD dual 16-bit MAC")
LABS_SCENARIOS = Source(
    "labs-scenarios",
    "Product requirements stated in the labs' scenarios (not physical constants)",
)
GPTQ_FOR_LLAMA = Source(
    "gptq-for-llama-readme",
    "GPTQ-for-LLaMa README (community replication of Frantar et al. 2023, GPTQ)",
    "LLaMA-7B WikiText-2 perplexity table",
)
LABS_STAND_INS = Source(
    "labs-stand-in-models",
    "Round stand-in workloads used by the labs (labelled assumptions, not a specific released model)",
)
HELLO_EDGE = Source(
    "zhang-2017-hello-edge",
    "Zhang, Suda, Lai, Chandra 2017, 'Hello Edge: Keyword Spotting on Microcontrollers'",
    "Table 7 (DS-CNN small)",
)
