// Placeholder until the connector lands: exports nothing.
#include <napi.h>
static Napi::Object Init(Napi::Env, Napi::Object exports) { return exports; }
NODE_API_MODULE(cntop_connector, Init)
