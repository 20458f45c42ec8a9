{
  "targets": [
    {
      "target_name": "pymecompress_native",
      "sources": [
        "src/binding.cc",
        "src/binding_common.cc",
        "src/binding_sync.cc",
        "src/binding_async.cc",
        "csrc/pmc_status.c",
        "csrc/pmc_cpu.c",
        "csrc/pmc_histogram.c",
        "csrc/pmc_huffman_plan.c",
        "csrc/pmc_huffman_encode.c",
        "csrc/pmc_decode_tables.c",
        "csrc/pmc_huffman_decode.c",
        "csrc/pmc_decode_split.c",
        "csrc/pmc_quant.c",
        "csrc/pmc_quant_avx2.c",
        "csrc/pmc_quant_avx512.c",
        "csrc/pmc_hist_avx512.c"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "csrc"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags": [
        "-O3",
        "-ffp-contract=off",
        "-fno-math-errno",
        "-fvisibility=hidden"
      ],
      "cflags_cc": [
        "-std=c++17"
      ],
      "cflags!": [
        "-O2"
      ],
      "cflags_cc!": [
        "-O2"
      ],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CFLAGS": [
          "-ffp-contract=off",
          "-fno-math-errno",
          "-std=c11"
        ],
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "msvs_settings": {
        "VCCLCompilerTool": {
          "AdditionalOptions": [
            "/fp:precise",
            "/O2"
          ]
        }
      },
      "cflags_c": [
        "-std=c11"
      ]
    }
  ]
}