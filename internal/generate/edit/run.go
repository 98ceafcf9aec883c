package edit

import (
	"errors"
	"regexp"
	"sync"
)

// handler is one way of reading an instruction. do returns done=false when
// the instruction only looked like this kind of edit (put staging before
// production is a reorder, put a smoke test before deploy is not), so that
// the next handler gets to try.
type handler struct {
	re *regexp.Regexp
	do func(d *doc, in instruction, m []string) (done bool, err error)
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)^` + s + `$`) }

// handlers are tried in order: the specific forms (add an approver, add a
// rollback) before the general ones (add a step). They are compiled on the
// first edit, not when relsop starts.
var handlers = sync.OnceValue(func() []handler {
	return []handler{
		// rename and call
		{re(`(?:rename|retitle|change\s+the\s+name\s+of|set\s+the\s+name\s+of)\s+(.+)`), (*doc).renameOp},
		{re(`call\s+(.+?)\s+(` + quoteMark + `\d+` + quoteMark + `)`), (*doc).callOp},
		// gates: escalation, approvers, criteria
		{re(`(?:escalate|add\s+(?:an?\s+)?escalation\s+(?:path\s+)?(?:from|for|of|on|to))\s+(.+)`), (*doc).escalateOp},
		{re(`(?:make\s+|have\s+|let\s+)?((?:the\s+)?.+?\s+)(?:should\s+|must\s+|will\s+)?escalates?\s+(to\s+.+)`), (*doc).gateEscalatesOp},
		{re(`(?:remove|drop|delete|take)\s+(.+?)\s+(?:off\s+|out\s+)?(?:as\s+(?:an?\s+)?approver\s+(?:of|from|on|for)|from\s+(?:the\s+)?approvers\s+(?:of|on|for))\s+(.+)`), (*doc).removeApproverOp},
		{re(`(?:add|make|appoint|include)\s+(.+?)\s+(?:as\s+)?(?:an?\s+)?(?:additional\s+|extra\s+|second\s+)?approvers?\s+(?:of|to|for|on|in|at)\s+(.+)`), (*doc).approverOp},
		{re(`add\s+(?:an?\s+)?(?:additional\s+|extra\s+)?approvers?\s*:?\s+(.+?)\s+(?:to|for|on|of|at)\s+(.+)`), (*doc).approverOp},
		{re(`(?:have\s+|let\s+)?(.+?)\s+(?:must|should|shall|will)\s+(?:also\s+)?(?:approve|sign\s+off(?:\s+on)?)\s+(.+)`), (*doc).approverOp},
		{re(`(?:require|ask|get|need)\s+(.+?)\s+to\s+(?:also\s+)?(?:approve|sign\s+off(?:\s+on)?)\s+(.+)`), (*doc).approverOp},
		{re(`(.+?)\s+(?:also\s+)?(?:needs|requires)\s+(.+)`), (*doc).gateNeedsOp},
		{re(`add\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:go\s+|exit\s+|entry\s+)?(?:criterion|criteria|condition)\s*:?\s+(.+)`), (*doc).criterionOp},
		{re(`add\s+(.+?)\s+as\s+(?:an?\s+|the\s+)?(?:new\s+)?(?:go\s+|exit\s+)?(?:criterion|criteria|condition)\s+(?:to|for|on|of|at)\s+(.+)`), (*doc).criterionAsOp},
		// failure paths
		{re(`(?:add|create|set|draw)\s+(?:an?\s+|the\s+)?(?:rollback|roll-back|roll\s+back|failure|contingency|back-out|backout)\s+(?:path\s+|flow\s+|route\s+)?(?:from|for|on|of|after)\s+(.+)`), (*doc).rollbackOp},
		{re(`(?:if|when)\s+(.+?)\s+fails,?\s+(?:then\s+)?(?:go\s+to|roll\s+back\s+(?:with|via|using|through)|run|continue\s+with|do|use)\s+(.+)`), (*doc).onFailureOp},
		{re(`on\s+failure\s+of\s+(.+?),?\s+(?:go\s+to|run|do|use|continue\s+with)\s+(.+)`), (*doc).onFailureOp},
		{re(`(?:roll\s+back|rollback)\s+(.+?)\s+(?:with|via|using|through)\s+(.+)`), (*doc).onFailureOp},
		// release types
		{re(`(?:skip|leave\s+out|omit|remove|delete|drop|cut|take\s+out)\s+(.+?)\s+(?:in|for|from)\s+(.+)`), (*doc).skipInOp},
		{re(`(?:restore|bring\s+back|put\s+back|include)\s+(.+?)\s+(?:in|for|into)\s+(.+)`), (*doc).restoreInOp},
		{re(`(?:make\s+|let\s+|have\s+)?(.+?)\s+(should\s+|must\s+|will\s+|shall\s+|now\s+|also\s+|no\s+longer\s+|should\s+no\s+longer\s+)*skips?\s+(.+)`), (*doc).typeSkipsOp},
		{re(`(?:make|add|create|define|set\s+up|give\s+me)\s+(?:an?\s+|the\s+|new\s+)*(.+?)\s+(?:variant|release\s+type|release-type)(?:\s*[,:]\s*|\s+)?(.*)`), (*doc).variantOp},
		// lanes, phases and environments; RACI
		{re(`(?:move|put|place|shift)\s+(.+?)\s+(` + sideAlternatives + `)\s+(?:the\s+)?(.+)`), (*doc).moveElementOp},
		{re(`(?:move|put|place|shift)\s+(.+?)\s+(?:(?:to|at)\s+(?:the\s+)?)?(top|bottom|start|end|front|back|beginning|first|last)`), (*doc).moveElementEndOp},
		{re(`(?:swap|switch|exchange)\s+(?:the\s+order\s+of\s+)?(.+)`), (*doc).swapOp},
		{re(`(?:move|shift)\s+(.+?)\s+(up|down|left|right|earlier|later)(?:\s+(?:one|a)\s+(?:place|position|lane|column))?`), (*doc).moveElementStepOp},
		{re(`(?:add|create|insert|introduce)\s+(.+?)(?:\s+(` + sideAlternatives + `)\s+(?:the\s+)?(.+))?`), (*doc).addElementOp},
		{re(`(?:make|mark|set|flag)\s+(?:the\s+)?(.+?)\s+(?:as\s+)?(?:an?\s+)?(production|non-production|nonproduction|pre-production)(?:\s+(?:environment|env))?`), (*doc).productionOp},
		{re(`(?:remove|drop|take)\s+(?:the\s+)?(.+?)\s+(?:off|from|out\s+of)\s+(?:the\s+)?raci\s+(?:of|for|on)\s+(.+)`), (*doc).raciRemoveOp},
		{re(`(?:stop\s+(?:informing|consulting)|(?:do\s+not|don't|no\s+longer)\s+(?:inform|consult))\s+(?:the\s+)?(.+?)\s+(?:on|about|of|for|when|after|before|during)\s+(.+)`), (*doc).raciRemoveOp},
		{re(`(?:remove|delete|drop|get\s+rid\s+of)\s+(.+)`), (*doc).removeElementOp},
		{re(`(?:make\s+|have\s+|let\s+|keep\s+|add\s+|put\s+)?(?:the\s+)?(.+?)\s+(?:as\s+|is\s+|be\s+|should\s+be\s+|must\s+be\s+|stays?\s+|remains?\s+)?(accountable|consulted|informed)\s+(?:for|on|about|of|in|when|after|before|during)\s+(.+)`), (*doc).raciOp},
		{re(`(consult|inform)\s+(?:the\s+)?(.+?)\s+(?:on|about|of|for|when|after|before|during)\s+(.+)`), (*doc).raciVerbOp},
		{re(`(?:notify|tell|email|message|ping|page|alert)\s+.+?\s+(?:after|before|following|preceding|between|in)\s+.+`), (*doc).notifyStepOp},
		// a step's fields
		{re(`(?:set|change|make)\s+(?:the\s+)?(duration|expected\s+duration|expected\s+time|time|sla|deadline|tool|channel|environment|target\s+environment|description|notes?|kind|type)\s+(?:of|for|on)\s+(.+)`), (*doc).fieldOp},
		{re(`(.+?)\s+(?:takes|lasts|should\s+take)\s+(?:about\s+|up\s+to\s+)?(.+)`), (*doc).takesOp},
		{re(`automate\s+(.+)`), (*doc).automateOp},
		{re(`(?:make|mark|set|turn)\s+(.+?)\s+(?:as\s+|into\s+)?(?:an?\s+)?(automated|manual)(?:\s+(?:step|task|job))?`), (*doc).automateOp},
		{re(`(?:add|record|require)\s+(?:the\s+)?evidence\s*:?\s+(.+?)\s+(?:to|for|on)\s+(.+)`), (*doc).evidenceOp},
		// the review, links and exceptions
		{re(`(?:mark|record|note)\s+(?:the\s+)?(?:sop|procedure|process|document|it)\s+(?:as\s+)?reviewed(?:\s+(?:on\s+)?(today|\S+))?`), (*doc).reviewedOp},
		{re(`(?:review\s+(?:the\s+)?(?:sop|procedure|process|it)|set\s+the\s+review\s+cadence\s+to|the\s+(?:sop|procedure)\s+is\s+reviewed)\s+(weekly|monthly|quarterly|annually|yearly|every\s+.+)`), (*doc).cadenceOp},
		{re(`(?:add|attach|link)\s+(.*?)\s*(https?://\S+)\s+(?:to|for|on|with)\s+(?:the\s+)?(.+)`), (*doc).linkOp},
		{re(`(?:record|add|document|note|grant)\s+(?:an?\s+)?exception\s+(?:for|on|to)\s+(.+?)\s*(?::|,?\s+because|,?\s+as)\s+(.+?)(?:,?\s+approved\s+by\s+(.+))?`), (*doc).exceptionOp},
		// environments
		{re(`(?:put|move|place|order|list|promote\s+to)\s+(?:the\s+)?(.+?)\s+(before|after|ahead\s+of|in\s+front\s+of)\s+(?:the\s+)?(.+)`), (*doc).envOrderOp},
		{re(`(?:reorder|order|sort|set\s+the\s+order\s+of)\s+(?:the\s+)?environments\s*(?:as|to|like\s+this|:)?\s*(.+)`), (*doc).envListOp},
		// steps: place in the flow, phase, owner
		{re(`(move|shift|relocate|put|place)\s+(.+)`), (*doc).moveStepOp},
		{re(`(?:move|shift|relocate)\s+(.+)`), (*doc).moveOp},
		{re(`(?:reassign|assign|give|hand\s+over|handover|transfer|delegate)\s+(?:the\s+)?(?:ownership\s+of\s+)?(.+)`), (*doc).reassignOp},
		{re(`hand\s+(.+?)\s+over\s+to\s+(.+)`), (*doc).ownerStepRoleOp},
		{re(`(?:change|set)\s+(?:the\s+)?owner\s+of\s+(.+)`), (*doc).reassignOp},
		{re(`make\s+(.+?)\s+(?:the\s+)?(?:owner\s+of|owners\s+of|own|responsible\s+for)\s+(.+)`), (*doc).ownerRoleStepOp},
		{re(`(?:let\s+)?(.+?)\s+(?:should|must|will|shall)\s+(?:now\s+)?(?:own|take\s+over|be\s+responsible\s+for)\s+(.+)`), (*doc).ownerRoleStepOp},
		{re(`(.+?)\s+(?:should\s+be|is\s+now|must\s+be|will\s+be)\s+owned\s+by\s+(.+)`), (*doc).ownerStepRoleOp},
		{re(`(?:the\s+)?(.+?)\s+(?:now\s+)?(?:owns|is\s+(?:now\s+)?(?:the\s+)?(?:owner\s+of|responsible\s+for)|takes\s+over)\s+(.+)`), (*doc).ownerRoleStepOp},
		// remove and add steps
		{re(`(?:remove|delete|drop|skip|cut|get\s+rid\s+of)\s+(.+?)(?:\s+from\s+(?:the\s+)?(?:flow|sop|procedure|process|base\s+flow))?`), (*doc).removeOp},
		{re(`(after|before)\s+(.+?),\s*(.+)`), (*doc).frontedPlaceOp},
		{re(`(?:add|insert|create|put|include|introduce|append)\s+(.+)`), (*doc).addOp},
	}
})

// run applies the first handler that takes the instruction.
func (d *doc) run(in instruction) error {
	if in.text == "" {
		return unsupported(in.raw)
	}
	for _, h := range handlers() {
		m := h.re.FindStringSubmatch(in.text)
		if m == nil {
			continue
		}
		done, err := h.do(d, in, m)
		if errors.Is(err, errNoSplit) {
			continue
		}
		if done || err != nil {
			return err
		}
	}
	return unsupported(in.raw)
}

// errNoSplit is returned by trySplits when the text has no separator to
// divide at: the instruction is not of the handler's form after all.
var errNoSplit = errors.New("no separator")
