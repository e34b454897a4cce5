#include "cases/report.h"

#include <chrono>

#include "base/masking.h"
#include "cases/rules.h"

namespace cordon::cases {
namespace {

// "2022-04-30 08:15" in the configured offset; "—" for an unknown time.
std::string Minute(std::int64_t unix_seconds, base::UtcOffset offset) {
  if (unix_seconds == 0) {
    return "—";
  }
  std::string iso = base::FormatIso(
      std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)), offset);
  iso[10] = ' ';
  return iso.substr(0, 16);
}

std::string OrDash(const std::string& text) { return text.empty() ? "—" : HtmlEscape(text); }

std::string Row(std::string_view label, const std::string& html_value) {
  return "<tr><th>" + std::string(label) + "</th><td>" + html_value + "</td></tr>\n";
}

std::string LegText(Leg leg) {
  switch (leg) {
    case Leg::kOk:
      return "按时";
    case Leg::kLate:
      return "<b>超时</b>";
    case Leg::kPending:
      return "进行中";
  }
  return "—";
}

bool InScope(const std::string& path, const auth::PathRange& scope) {
  return !path.empty() && path >= scope.lo && path < scope.hi;
}

// A person named in the report: masked inside the jurisdiction, hidden outside it (A10).
std::string Person(const std::string& name, const std::string& path, const auth::PathRange& scope) {
  return InScope(path, scope) ? HtmlEscape(base::MaskName(name)) : "已脱敏";
}

constexpr std::string_view kStyle =
    "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;"
    "color:#222}h1{font-size:1.5em;text-align:center}h2{font-size:1.15em;border-bottom:1px solid "
    "#888;margin-top:1.5em}table{border-collapse:collapse;width:100%}th,td{border:1px solid "
    "#999;padding:4px 6px;text-align:left;vertical-align:top;font-size:.92em}th{background:#f2f2f2;"
    "white-space:nowrap}table.kv th{width:9em}footer{margin-top:2em;font-size:.85em;color:#555}"
    "@page{size:A4;margin:15mm}@media print{body{margin:0}}";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string ReportFileName(std::int64_t case_id) {
  const std::string name = "病例" + std::to_string(case_id) + "流调报告.html";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : name) {
    const bool plain = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                       (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '-' || ch == '_';
    if (plain) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 0xF];
    }
  }
  return out;
}

std::string InvestigationHtml(const ReportInput& in) {
  const Case& c = in.c;
  const std::string title = "病例 " + std::to_string(c.id) + " 流行病学调查报告";
  std::string age = "—";
  if (auto birth = base::ParseDate(c.birth_date); birth.has_value()) {
    age = std::to_string(
              base::AgeOn(*birth, base::LocalDate(std::chrono::system_clock::time_point(
                                                      std::chrono::seconds(in.exported_at)),
                                                  in.offset))) +
          " 岁";
  }
  std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
                    title + "</title><style>" + std::string(kStyle) +
                    "</style></head><body>\n<h1>" + title + "</h1>\n";

  out += "<h2>一、基本情况</h2>\n<table class=\"kv\">\n";
  out += Row("姓名", HtmlEscape(base::MaskName(c.name)));
  out += Row("性别", c.sex == "M" ? "男" : c.sex == "F" ? "女" : "—");
  out += Row("年龄", age);
  out += Row("身份证号", HtmlEscape(base::MaskIdNumber(c.id_number)));
  out += Row("所属网格", OrDash(c.region_name));
  out += Row("病例分类", std::string(Chinese(c.classification)));
  out += Row("采样时间", Minute(c.sampling_at, in.offset));
  out += Row("阳性结果时间", Minute(c.positive_at, in.offset));
  out += Row("发病日期", c.onset_date.empty() ? "无症状 / 未报告" : HtmlEscape(c.onset_date));
  out += Row("报告时间", Minute(c.reported_at, in.offset));
  out += Row("收治医院", OrDash(c.hospital));
  out += Row("转归", std::string(Chinese(c.outcome)));
  out += Row("所属聚集性疫情", OrDash(c.cluster_name));
  out += Row("追溯起始时间", Minute(c.lookback_from, in.offset) + "（发病或采样前 4 天）");
  out += "</table>\n";

  out +=
      "<h2>二、处置时效</h2>\n<table>\n<tr><th>环节</th><th>目标</th><th>完成时间</th>"
      "<th>状态</th></tr>\n";
  const struct {
    std::string_view label;
    int hours;
    std::int64_t at;
    Leg leg;
  } legs[] = {
      {"病例报告", in.targets.reported_hours, c.reported_at, c.clock.reported},
      {"密接判定", in.targets.listed_hours, c.contacts_listed_at, c.clock.listed},
      {"密接管控", in.targets.controlled_hours, c.contacts_controlled_at, c.clock.controlled},
  };
  for (const auto& leg : legs) {
    out += "<tr><td>" + std::string(leg.label) + "</td><td>阳性后 " + std::to_string(leg.hours) +
           " 小时内</td><td>" + Minute(leg.at, in.offset) + "</td><td>" + LegText(leg.leg) +
           "</td></tr>\n";
  }
  out += "</table>\n<p>已判定密切接触者 " + std::to_string(c.close_contacts) +
         " 人，次密切接触者 " + std::to_string(c.secondary_contacts) + " 人。</p>\n";

  out += "<h2>三、活动轨迹与接触情况</h2>\n";
  if (in.entries.empty()) {
    out += "<p>暂无调查记录。</p>\n";
  } else {
    out +=
        "<table>\n<tr><th>时间</th><th>至</th><th>类别</th><th>场所 / 人员</th>"
        "<th>情况</th><th>记录人</th></tr>\n";
    for (const Entry& e : in.entries) {
      std::string where;
      if (!e.venue_code.empty()) {
        where += HtmlEscape(e.venue_name.empty() ? e.venue_code : e.venue_name) + "（场所码 " +
                 HtmlEscape(e.venue_code) + "）";
      }
      if (!e.place.empty()) {
        where += (where.empty() ? "" : "<br>") + HtmlEscape(e.place);
      }
      if (e.person_id != 0) {
        where += (where.empty() ? "" : "<br>") + std::string("接触人员 ") +
                 HtmlEscape(base::MaskName(e.person_name));
      }
      out += "<tr><td>" + Minute(e.at, in.offset) + "</td><td>" + Minute(e.until, in.offset) +
             "</td><td>" + std::string(Chinese(e.kind)) + "</td><td>" +
             (where.empty() ? "—" : where) + "</td><td>" + HtmlEscape(e.text) + "</td><td>" +
             HtmlEscape(e.author) + "</td></tr>\n";
    }
    out += "</table>\n";
  }

  out += "<h2>四、传播关系</h2>\n";
  if (in.exposures.empty()) {
    out += "<p>暂未查明感染来源及续发病例。</p>\n";
  } else {
    out +=
        "<table>\n<tr><th>传染源</th><th>被感染者</th><th>方式</th><th>时间</th>"
        "<th>场所</th><th>备注</th></tr>\n";
    for (const Exposure& e : in.exposures) {
      const auto name = [&](std::int64_t id, const std::string& person, const std::string& path) {
        return id == c.person_id ? std::string("本病例") : Person(person, path, in.scope);
      };
      out += "<tr><td>" + name(e.source_person_id, e.source_name, e.source_path) + "</td><td>" +
             name(e.target_person_id, e.target_name, e.target_path) + "</td><td>" +
             std::string(Chinese(e.kind)) + "</td><td>" + Minute(e.at, in.offset) + "</td><td>" +
             OrDash(e.venue_name.empty() ? e.venue_code : e.venue_name) + "</td><td>" +
             OrDash(e.note) + "</td></tr>\n";
    }
    out += "</table>\n";
  }

  out += "<footer>导出人：" + HtmlEscape(in.exporter) + "　导出时间：" +
         Minute(in.exported_at, in.offset) +
         "<br>本报告含个人信息，已按规定脱敏，仅限疫情防控工作使用，不得外传。</footer>\n"
         "</body></html>\n";
  return out;
}

}  // namespace cordon::cases
