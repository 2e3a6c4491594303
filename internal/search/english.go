package search

// English queries ("study visit to Surakarta", "how to reduce queues") carry
// function words that the Indonesian stop list does not know. Left in, they
// became required words of the query: "to" is in the exact fields of every
// English write-up and in no Indonesian one, so the search found no record
// with every word and fell back to records with any of them. They are
// dropped from queries as the Indonesian stop words are. Words that are
// also Indonesian abbreviations are left out of the list: "it" (tim IT),
// "as" (Amerika Serikat), "up" (uang persediaan), "no" (nomor), "who".

// isEnglishFunctionWord reports whether a lower-cased query word is an
// English article, preposition, conjunction, pronoun or auxiliary.
func isEnglishFunctionWord(w string) bool {
	switch w {
	case "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "into", "about", "with",
		"is", "are", "was", "were", "be", "been", "do", "does", "can", "could", "should",
		"this", "that", "these", "those", "there", "their", "our", "your", "my", "we", "you", "they":
		return true
	}
	return isEnglishQuestionWord(w)
}

// isEnglishQuestionWord reports whether a lower-cased word asks a question
// in English.
func isEnglishQuestionWord(w string) bool {
	switch w {
	case "how", "what", "which", "where", "why", "when":
		return true
	}
	return false
}
