// CSV import throughput: a generated 100,000-row person list (name, ID number, phone, address,
// a note that is quoted every tenth row) parsed from UTF-8 and from the same text in GBK, as
// Chinese Excel writes it. Reports rows/s (items) and bytes/s. Each run checks its own answer:
// the encoding detected and the number of rows.
#include <benchmark/benchmark.h>
#include <iconv.h>

#include <cstdio>
#include <string>

#include "base/csv.h"
#include "base/id_number.h"

namespace {

constexpr std::size_t kRows = 100'000;

std::string MakeUtf8Csv(std::size_t rows) {
  const char* const surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
  const char* const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳"};
  std::string csv = "姓名,身份证号,手机号,住址,备注\r\n";
  char buf[256];
  for (std::size_t i = 0; i < rows; ++i) {
    csv += surnames[i % 10];
    csv += given[(i / 10) % 10];
    csv += given[(i / 100) % 10];
    std::snprintf(buf, sizeof buf, "44010619%02zu%02zu%02zu%03zu", 50 + i % 50, 1 + i % 12,
                  1 + i % 28, 1 + i % 999);
    std::string id = buf;
    id.push_back(cordon::base::GbCheckCharacter(id));
    std::snprintf(buf, sizeof buf, ",%s,138%08zu,广东省广州市天河区体育西路%zu号,", id.c_str(), i,
                  i % 500);
    csv += buf;
    csv += i % 10 == 0 ? "\"密接，已通知\r\n居家隔离\"" : "无";
    csv += "\r\n";
  }
  return csv;
}

std::string ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  std::string out(utf8.size(), '\0');
  char* in = const_cast<char*>(utf8.data());
  char* dst = out.data();
  std::size_t in_left = utf8.size();
  std::size_t out_left = out.size();
  const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) {
    return "";
  }
  out.resize(out.size() - out_left);
  return out;
}

void BM_ParseCsv(benchmark::State& state, bool gbk) {
  const std::string utf8 = MakeUtf8Csv(kRows);
  const std::string bytes = gbk ? ToGbk(utf8) : utf8;
  const auto first = cordon::base::ParseCsv(bytes);
  if (!first.has_value() || first->rows.size() != kRows ||
      first->encoding != (gbk ? "GB18030" : "UTF-8") || first->rows[0].fields.size() != 5) {
    state.SkipWithError("the generated CSV did not parse as expected");
    return;
  }
  for (auto _ : state) {
    auto doc = cordon::base::ParseCsv(bytes);
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK_CAPTURE(BM_ParseCsv, utf8, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ParseCsv, gbk, true)->Unit(benchmark::kMillisecond);

}  // namespace
