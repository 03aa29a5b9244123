// Micro-benchmarks for the hot framing paths: reading a burst of small masked chat frames
// and encoding one broadcast frame. Run by hand: parley_ws_bench.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "protocol/ws/frame.h"

namespace parley::ws {
namespace {

class CountingSink : public FrameSink {
 public:
  void OnMessage(Opcode, std::string_view payload) override { bytes += payload.size(); }
  void OnPing(std::string_view) override {}
  void OnPong(std::string_view) override {}
  void OnClose(uint16_t, std::string_view) override {}
  void OnProtocolError(uint16_t, std::string_view) override {}
  size_t bytes = 0;
};

// Many small masked text frames in one buffer, as a busy connection delivers them.
void BM_ReadSmallTextFrames(benchmark::State& state) {
  const size_t payload_size = static_cast<size_t>(state.range(0));
  constexpr int kFrames = 1000;
  std::string wire;
  const std::string text(payload_size, 'm');
  for (int i = 0; i < kFrames; ++i) {
    wire += EncodeClientFrame(Opcode::kText, text, 0x9E3779B9u + i);
  }
  const std::vector<uint8_t> pristine(wire.begin(), wire.end());
  std::vector<uint8_t> buf;
  CountingSink sink;
  for (auto _ : state) {
    state.PauseTiming();
    buf = pristine;  // the reader unmasks in place
    state.ResumeTiming();
    FrameReader reader({});
    benchmark::DoNotOptimize(reader.Consume(buf, sink));
  }
  state.SetItemsProcessed(state.iterations() * kFrames);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(pristine.size()));
}
BENCHMARK(BM_ReadSmallTextFrames)->Arg(16)->Arg(64)->Arg(256);

void BM_EncodeFrame128(benchmark::State& state) {
  const std::string payload(128, 'x');
  for (auto _ : state) {
    std::string frame = EncodeFrame(Opcode::kText, payload);
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetBytesProcessed(state.iterations() * 128);
}
BENCHMARK(BM_EncodeFrame128);

}  // namespace
}  // namespace parley::ws

BENCHMARK_MAIN();
