{
  "targets": [
    {
      "target_name": "cntop_connector",
      "sources": [
        "addon/module.cc",
        "addon/connector.cc",
        "addon/connector_core.cc",
        "addon/connector_reader.cc",
        "addon/control_socket.cc",
        "addon/js_convert.cc",
        "addon/netlink_socket.cc",
        "addon/proc_event_decoder.cc",
        "addon/seq_tracker.cc",
        "addon/bpf_filter.cc",
        "addon/exec_info.cc",
        "addon/event_batcher.cc",
        "addon/exit_guard.cc",
        "addon/taskstats_decoder.cc",
        "addon/genl_messages.cc",
        "addon/taskstats_listener.cc",
        "addon/connector_taskstats.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fstack-protector-strong"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
