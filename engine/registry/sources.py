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

# --- hardware datasheets (engine v1) --------------------------------------------------------------------------
H200_DATASHEET = Source("nvidia-h200-datasheet", "NVIDIA H200 Tensor Core GPU datasheet (SXM column)")
HGX_B200_DATASHEET = Source(
    "nvidia-hgx-b200-datasheet",
    "NVIDIA HGX B200 datasheet (8-GPU board; per-GPU values = board value / 8; 'with sparsity' headline)",
)
A100_DATASHEET = Source(
    "nvidia-a100-datasheet",
    "NVIDIA A100 Tensor Core GPU datasheet (SXM columns, 40 GB and 80 GB), as quoted by glennklockwood.com",
)
A100_WHITEPAPER = Source("nvidia-a100-whitepaper", "NVIDIA A100 Tensor Core GPU Architecture whitepaper", "L2, SM count")
V100_DATASHEET = Source("nvidia-v100-datasheet", "NVIDIA Tesla V100 datasheet (SXM2 column)")
T4_DATASHEET = Source("nvidia-t4-datasheet", "NVIDIA T4 Tensor Core GPU datasheet")
L4_DATASHEET = Source("nvidia-l4-datasheet", "NVIDIA L4 Tensor Core GPU datasheet ('with sparsity' headline)")
TPU_V5E_DOCS = Source("google-cloud-tpu-v5e", "Google Cloud TPU v5e system architecture page", "chip specifications")
TPU_V4_PAPER = Source(
    "jouppi-2023-tpu-v4", "Jouppi et al. 2023, 'TPU v4: An Optically Reconfigurable Supercomputer' (ISCA)", "Table 1"
)
MI300X_DATASHEET = Source("amd-mi300x-datasheet", "AMD Instinct MI300X accelerator datasheet")
SNAPDRAGON_8G3_BRIEF = Source(
    "qualcomm-snapdragon-8-gen-3-brief", "Qualcomm Snapdragon 8 Gen 3 Mobile Platform product brief"
)
SNAPDRAGON_ESTIMATES = Source(
    "labs-snapdragon-estimates",
    "Labs teaching estimates for a Snapdragon 8 Gen 3-class phone (Qualcomm publishes no NPU TOP/s precision, "
    "cache size or sustained power)",
)
RPI5_PRODUCT_BRIEF = Source("raspberry-pi-5-product-brief", "Raspberry Pi 5 product brief (Raspberry Pi Ltd, 2023)")
ARM_A76_TRM = Source("arm-cortex-a76-trm", "Arm Cortex-A76 Technical Reference Manual", "two 128-bit NEON FMA pipes")
ESP32S3_DATASHEET = Source("espressif-esp32-s3-datasheet", "Espressif ESP32-S3 Series datasheet")
ESP32S3_ESTIMATES = Source(
    "labs-esp32s3-estimates",
    "Labs teaching estimates for the ESP32-S3 (Espressif publishes no peak MAC rate or active power for AI loads)",
)
STM32H7_RM0433 = Source("st-rm0433", "STMicroelectronics RM0433 (STM32H742/743/750/753 reference manual)", "AXI bus")
ORIN_DATASHEET = Source(
    "nvidia-ds-10662-001", "NVIDIA Jetson AGX Orin Series data sheet DS-10662-001", "GPU: 2,048 CUDA cores, 16 SMs"
)
CLOUD_PRICE_ESTIMATES = Source(
    "labs-cloud-price-estimates",
    "Labs teaching estimates of cloud rental prices (mid-range public list prices, 2024; prices change)",
)

# --- papers: models, training, memory -----------------------------------------------------------------------
RESNET_TORCHVISION = Source(
    "torchvision-resnet50", "torchvision ResNet50_Weights.IMAGENET1K_V1 model card", "num_params, GFLOPS (= GMAC)"
)
MOBILENETV2_PAPER = Source("sandler-2018-mobilenetv2", "Sandler et al. 2018, 'MobileNetV2' (CVPR)", "Table 4")
MOBILENETV2_TORCHVISION = Source("torchvision-mobilenet-v2", "torchvision MobileNet_V2_Weights.IMAGENET1K_V1 card")
EFFICIENTNET_PAPER = Source("tan-2019-efficientnet", "Tan & Le 2019, 'EfficientNet' (ICML)", "Table 2")
MOBILENETV1_PAPER = Source("howard-2017-mobilenets", "Howard et al. 2017, 'MobileNets'", "Table 8")
DENSENET_TORCHVISION = Source("torchvision-densenet121", "torchvision DenseNet121_Weights.IMAGENET1K_V1 card")
BERT_PAPER = Source("devlin-2019-bert", "Devlin et al. 2019, 'BERT' (NAACL)", "§3 model sizes")
GPT2_CONFIG = Source("openai-gpt2-config", "Radford et al. 2019 (GPT-2) and the public Hugging Face model configs")
GPT3_PAPER = Source("brown-2020-gpt3", "Brown et al. 2020, 'Language Models are Few-Shot Learners'", "Table 2.1, D.1")
LLAMA1_PAPER = Source("touvron-2023-llama", "Touvron et al. 2023, 'LLaMA: Open and Efficient Foundation Language Models'")
LLAMA2_CARD = Source(
    "touvron-2023-llama2", "Touvron et al. 2023, 'Llama 2' and the Hugging Face config.json of each checkpoint"
)
LLAMA3_PAPER = Source("dubey-2024-llama3", "Llama Team 2024, 'The Llama 3 Herd of Models'", "Table 3, §3.3.4, Table 5")
MIXTRAL_PAPER = Source("jiang-2024-mixtral", "Jiang et al. 2024, 'Mixtral of Experts'", "Table 1, §2")
PALM_PAPER = Source("chowdhery-2022-palm", "Chowdhery et al. 2022, 'PaLM'", "Table 1, §4.1, Table 3, App. B")
CHINCHILLA_PAPER = Source("hoffmann-2022-chinchilla", "Hoffmann et al. 2022, 'Training Compute-Optimal LLMs'", "Table 3")
OPT_PAPER = Source("zhang-2022-opt", "Zhang et al. 2022, 'OPT' §2 and metaseq chronicles final_update.md")
MEGATRON_2021 = Source(
    "narayanan-2021-megatron", "Narayanan et al. 2021, 'Efficient Large-Scale LM Training on GPU Clusters' (SC21)"
)
KORTHIKANTI_2022 = Source(
    "korthikanti-2022-activation", "Korthikanti et al. 2022, 'Reducing Activation Recomputation'", "eq. 1"
)
ZERO_PAPER = Source("rajbhandari-2020-zero", "Rajbhandari et al. 2020, 'ZeRO' (SC20)", "§3.1, §3.2, §5, Fig. 1")
KAPLAN_2020 = Source("kaplan-2020-scaling", "Kaplan et al. 2020, 'Scaling Laws for Neural LMs'", "§2.1, C ≈ 6N")
DETTMERS_8BIT_OPT = Source("dettmers-2022-8bit-optim", "Dettmers et al. 2022, '8-bit Optimizers via Block-wise Quantization'")
TINYTL = Source("cai-2020-tinytl", "Cai et al. 2020, 'TinyTL' (NeurIPS)", "§3")
LORA_PAPER = Source("hu-2021-lora", "Hu et al. 2021, 'LoRA'")
CUDA_JL_GRAPHS = Source("cuda-jl-graphs", "CUDA.jl documentation, 'Graphs' (80 kernels replayed in 70 µs; 8 µs launch)")
HTA_DOCS = Source("meta-hta-launch", "Meta Holistic Trace Analysis docs, 'CUDA kernel launch statistics' (5–20 µs)")
OPENCLIP_RESULTS = Source(
    "openclip-results-csv",
    "OpenCLIP docs/openclip_results.csv (commit 0a1cc150) and docs/model_profile.csv (commit 3b37473b)",
    "DataComp baseline rows",
)
DATACOMP_README = Source("datacomp-readme", "DataComp README (Gadre et al. 2023)", "scales, pool sizes, CLIP-score keep 30 %")
MODIS_CLOUD = Source("king-2013-modis", "King et al. 2013, IEEE TGRS, MODIS global cloud cover", "≈67 % mean cloud cover")
YOLOV8 = Source("ultralytics-yolov8", "Ultralytics YOLOv8 model table", "YOLOv8n 8.7 GFLOP at 640 px")
HELLO_EDGE_OPS = Source("zhang-2017-hello-edge-ops", "Zhang et al. 2017, 'Hello Edge'", "Table 7 (DS-CNN small ops)")
GPTQ_README_NEW = Source(
    "gptq-for-llama-readme-3cf64c6f",
    "GPTQ-for-LLaMa README, commit 3cf64c6f (single RTX 3090; sizes printed as 'GB' are GiB)",
    "LLaMA WikiText-2 perplexity / checkpoint size table",
)
GPTQ_PAPER = Source("frantar-2023-gptq", "Frantar et al. 2023, 'GPTQ' (ICLR)", "abstract: 3.25× A100, 4.5× A6000")
RUSCI_2020 = Source("rusci-2020-mixed", "Rusci, Capotondi, Benini 2020, MLSys", "abstract: 68 % top-1 on STM32H7")
WILDS_PAPER = Source("koh-2021-wilds", "Koh et al. 2021, 'WILDS' (ICML)", "Table 1, Camelyon17 ERM")
ABADI_DP = Source("abadi-2016-dpsgd", "Abadi et al. 2016, 'Deep Learning with Differential Privacy' (CCS)", "§5.2, §5.3")

# --- infrastructure ------------------------------------------------------------------------------------------
PATTERSON_2021 = Source("patterson-2021-carbon", "Patterson et al. 2021, 'Carbon Emissions and Large NN Training'", "Table 4")
LLAMA1_CARBON = Source("touvron-2023-llama-carbon", "Touvron et al. 2023 (LLaMA)", "Table 15 / §6")
STRUBELL_2019 = Source("strubell-2019-energy", "Strubell et al. 2019, 'Energy and Policy Considerations'", "Table 3, eq. 1–2")
UPTIME_2023 = Source("uptime-2023-survey", "Uptime Institute Global Data Center Survey 2023", "average PUE 1.58")
GOOGLE_PUE = Source("google-dc-efficiency", "Google data-centre efficiency page (fleet trailing-twelve-month PUE)")
AWS_TRANSFER = Source("aws-ec2-data-transfer", "AWS EC2 on-demand pricing, data transfer between US regions")
AWS_S3 = Source("aws-s3-pricing", "Amazon S3 pricing, Standard storage, first 50 TB/month")
NVLINK4 = Source("nvidia-nvlink4", "NVIDIA H100 datasheet: NVLink 900 GB/s (bidirectional total)")
IB_NDR = Source("nvidia-connectx7", "NVIDIA ConnectX-7 / Quantum-2 NDR InfiniBand: 400 Gb/s per port")
PCIE5 = Source("pcisig-pcie5", "PCI-SIG PCIe 5.0: 32 GT/s per lane, 128b/130b encoding")
NCCL_TESTS = Source("nccl-tests-performance", "NVIDIA nccl-tests doc/PERFORMANCE.md (busbw derivation)")
NRF52840 = Source("nordic-nrf52840-ps", "Nordic nRF52840 Product Specification", "radio TX current, 0 dBm, DC/DC")
HUANG_LTE = Source("huang-2012-lte", "Huang et al. 2012, 'A Close Examination of 4G LTE Networks' (MobiSys)", "power model")
NVME_GEN4 = Source("labs-storage-estimates", "Labs teaching estimates for storage tiers (typical 2024 datasheets)")
LABS_ASSUMPTIONS = Source(
    "labs-scenario-assumptions", "Scenario values and teaching assumptions stated in the Volume I lab specs"
)
KOH_DENSENET = Source("huang-2017-densenet", "Huang et al. 2017, 'DenseNet' (torchvision DenseNet-121)")
GPT_FAST_BLOG = Source(
    "pytorch-gpt-fast",
    "PyTorch blog, 'Accelerating Generative AI with PyTorch II: GPT, Fast' (Llama-2-7B, A100-80GB)",
    "baseline 25.5 tokens/s, torch.compile 107.0 tokens/s",
)
