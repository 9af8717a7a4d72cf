// Labels compared the way people read them: "  Moyen  de Déplacement " and "moyen de deplacement"
// are the same header; "Saint-Clément-de-Rivière" and "saint clement de riviere" the same town.
#pragma once

#include <string>
#include <string_view>

namespace sl {

// Lower case, the accented Latin letters of French folded to their base letter, curly
// apostrophes straightened, runs of spaces and tabs collapsed to one, no leading or trailing
// space.
std::string normalise_label(std::string_view text);

// normalise_label, then hyphens and apostrophes as spaces: place names ("L'Abergement-de-Varey"
// → "l abergement de varey"), as the gazetteer's NORMALIZED column writes them.
std::string normalise_place_name(std::string_view text);

}  // namespace sl
