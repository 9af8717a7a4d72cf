// What every dashboard page shares: the document head (charset, viewport, title, the one inline
// style sheet), a skip link, the header with the navigation and the FR/EN switch, <main>, the
// footer. A page writes `page_begin(frame) + its content + page_end(lang)`; its own CSS goes in
// `frame.extra_css` (still one inline <style>: the CSP allows no other). No script anywhere.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serve/access.hpp"
#include "serve/i18n.hpp"

namespace sl::serve {

struct PageFrame {
  Lang lang = Lang::fr;
  std::string title;               // the <title> and the <h1> (plain text, escaped here)
  std::string_view current = "/";  // the path of this page's navigation entry
  Role role = Role::viewer;        // an entry shows to the roles that may open its page
  std::string other_lang_href;     // this page in the other language (`url_with(..., lang)`)
  std::string extra_css;           // appended to the shared style sheet
};

// The head, header and navigation; opens <main id="main">.
std::string page_begin(const PageFrame& frame);
// Closes <main>, the footer, the document.
// `footer`: the i18n key of the footer's line, which says where the page's figures come from.
std::string page_end(Lang lang, std::string_view footer = "common.footer");

// The shared style sheet (colours chosen for WCAG AA contrast on white; axe checks them).
std::string_view page_css();

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// `path` with the parameters percent-encoded, empty values left out: url_with("/", {{"year",
// "2025"}, {"q", ""}}) == "/?year=2025". HTML-escape it before writing it in an attribute.
std::string url_with(std::string_view path, const QueryParams& params);
std::string percent_encoded(std::string_view text);

// Text for HTML: & < > " ' escaped.
std::string escape_html(std::string_view text);

}  // namespace sl::serve
