// The shared page frame.
#include "serve/page_layout.hpp"

#include <fmt/core.h>

#include <cctype>

namespace sl::serve {

namespace {

struct NavEntry {
  std::string_view href;
  std::string_view label_key;  // i18n key
  Role needed;  // shown to this role and those after it (access.hpp's order)
};

// The pages, in the navigation's order (add a page's entry here).
constexpr NavEntry k_nav[] = {
    {"/", "common.overview", Role::viewer},
    {"/operations", "common.operations", Role::ops},
};

constexpr std::string_view k_css = R"css(
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f4f5f9;line-height:1.4}
a{color:#1a4fa0}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header{background:#1d2433;color:#fff;padding:.6rem 2rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}header .brand{font-weight:700;margin-right:1rem}
header nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
header nav a[aria-current=page]{font-weight:700;text-decoration:underline}
header .lang{margin-left:auto}
main{padding:1rem 2rem 2rem;max-width:1200px}
h1{margin:.6rem 0 .2rem}h2{margin:1.6rem 0 .5rem;font-size:1.25rem}
footer{padding:1rem 2rem;color:#4a5163;font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem;margin:1rem 0;padding:0;list-style:none}
.card{background:#fff;border-radius:10px;padding:.9rem 1.1rem;box-shadow:0 1px 3px #0002}.card.wide{grid-column:span 2}
.card .v{display:block;font-size:1.5rem;font-weight:700}.card .d{font-size:.8rem;color:#4a5163}
.up{color:#176b3a}.down{color:#a33}.bad{color:#a33;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1rem}
figure{background:#fff;border-radius:10px;box-shadow:0 1px 3px #0002;margin:0;padding:.8rem}
figcaption{font-weight:600;margin-bottom:.4rem}
svg text{fill:#1d2433;font-size:11px}svg .axis{stroke:#8a90a0}svg .grid{stroke:#e3e6ee}
.legend{display:flex;flex-wrap:wrap;gap:.3rem .9rem;font-size:.8rem;list-style:none;padding:0;margin:.4rem 0 0}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}
table{border-collapse:collapse;background:#fff;margin:.4rem 0 1rem;font-size:.9rem;width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{padding:.35rem .6rem;border-bottom:1px solid #e3e6ee;text-align:left}
th a{color:#1d2433}td.n,th.n{text-align:right}.no{color:#a33}.yes{color:#176b3a}
form.inline{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}
input,select,button{font:inherit;padding:.25rem .5rem}
nav.pages ul{list-style:none;display:flex;gap:1rem;padding:0;margin:.3rem 0}
)css";

}  // namespace

std::string_view page_css() {
  return k_css;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
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
        out += c;
    }
  }
  return out;
}

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
  return out;
}

std::string url_with(std::string_view path, const QueryParams& params) {
  std::string out(path);
  char sep = '?';
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += sep + percent_encoded(name) + "=" + percent_encoded(value);
    sep = '&';
  }
  return out;
}

std::string page_begin(const PageFrame& frame) {
  const Lang lang = frame.lang;
  std::string html = fmt::format(
      "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{} · sportlake</title><style>{}{}</style></head><body>"
      "<a class=\"skip\" href=\"#main\">{}</a><header><span class=\"brand\">sportlake</span>"
      "<nav aria-label=\"{}\"><ul>",
      lang_code(lang), escape_html(frame.title), k_css, frame.extra_css,
      escape_html(tr(lang, "common.skip")), escape_html(tr(lang, "common.nav")));
  for (const NavEntry& e : k_nav) {
    if (frame.role < e.needed) continue;
    const std::string href = url_with(e.href, {{"lang", std::string(lang_code(lang))}});
    html += fmt::format("<li><a href=\"{}\"{}>{}</a></li>", escape_html(href),
                        e.href == frame.current ? " aria-current=\"page\"" : "",
                        escape_html(tr(lang, e.label_key)));
  }
  const Lang other = lang == Lang::fr ? Lang::en : Lang::fr;
  html += fmt::format(
      "</ul></nav><a class=\"lang\" href=\"{}\" hreflang=\"{}\" lang=\"{}\" title=\"{}\">{}</a>"
      "</header><main id=\"main\"><h1>{}</h1>",
      escape_html(frame.other_lang_href), lang_code(other), lang_code(other),
      escape_html(tr(lang, "common.other_lang_label")), escape_html(tr(lang, "common.other_lang")),
      escape_html(frame.title));
  return html;
}

std::string page_end(Lang lang, std::string_view footer) {
  return "</main><footer>" + escape_html(tr(lang, footer)) + "</footer></body></html>";
}

}  // namespace sl::serve
