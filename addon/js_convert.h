// C++ -> JS values in the exact shapes of src/native/native-types.ts (ProcEvent, NativeBatch,
// NativeStatus, NativeDecoded, NativeStats). The only file that knows those property names.
#pragma once

#include <napi.h>

#include "connector_core.h"
#include "event_batcher.h"
#include "proc_event_decoder.h"
#include "sys_status.h"
#include "taskstats_decoder.h"

namespace cntop {

/** Compiles the event materializer for this environment; call once from module init. */
void InstallMaterializer(Napi::Env env);

Napi::Object StatusToJs(Napi::Env env, const SysStatus& status);
/** Empty when the environment cannot run JS any more (it is being torn down). */
Napi::Object BatchToJs(Napi::Env env, const Batch& batch);
/** decodeDatagram's result: exec events carry comm/cmdline null (the decoder reads no /proc). */
Napi::Object DecodeResultToJs(Napi::Env env, const DecodeResult& decoded);
Napi::Object StatsToJs(Napi::Env env, const StatsSnapshot& stats);
/** Taskstats records in the NativeTaskstatsRecord shape; empty when the environment is tearing down. */
Napi::Value RecordsToJs(Napi::Env env, const std::vector<TaskstatsRecord>& records);
/** decodeTaskstats's result (NativeTaskstatsDecoded). */
Napi::Object TaskstatsDecodeResultToJs(Napi::Env env, const TaskstatsDecodeResult& decoded);
/** start()'s taskstats field (NativeTaskstatsStart), null when it was not asked for. */
Napi::Value TaskstatsStartToJs(Napi::Env env, const std::optional<TaskstatsStart>& start);
Napi::Object TaskstatsWireCountsToJs(Napi::Env env, const TaskstatsWireCounts& counts);
Napi::Value AckToJs(Napi::Env env, const std::optional<AckReply>& ack);

}  // namespace cntop
