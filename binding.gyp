{
  "targets": [
    {
      "target_name": "cntop_connector",
      "sources": ["addon/module.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fstack-protector-strong"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
