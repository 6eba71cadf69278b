package io.spikewatch.generator;

/**
 * The rules of the synthetic web ACL that block requests, as they appear in WAF logs: the
 * terminating rule id and type, and for managed rule groups the group id, the rule inside the group
 * and the label it adds. Requests no rule blocks are allowed by {@code Default_Action}.
 */
enum WafRule {
    RATE_LIMIT("RateLimitRule", "RATE_BASED", null, null, null),
    IP_REPUTATION("AWS-AWSManagedRulesAmazonIpReputationList", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesAmazonIpReputationList", "AWSManagedIPReputationList",
            "awswaf:managed:aws:amazon-ip-list:AWSManagedIPReputationList"),
    CRS_NO_USER_AGENT("AWS-AWSManagedRulesCommonRuleSet", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesCommonRuleSet", "NoUserAgent_HEADER",
            "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"),
    CRS_XSS("AWS-AWSManagedRulesCommonRuleSet", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesCommonRuleSet", "CrossSiteScripting_QUERYARGUMENTS",
            "awswaf:managed:aws:core-rule-set:CrossSiteScripting_QueryArguments"),
    CRS_LFI("AWS-AWSManagedRulesCommonRuleSet", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesCommonRuleSet", "GenericLFI_URIPATH",
            "awswaf:managed:aws:core-rule-set:GenericLFI_URIPath"),
    KBI_EXPLOITABLE_PATHS("AWS-AWSManagedRulesKnownBadInputsRuleSet", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesKnownBadInputsRuleSet", "ExploitablePaths_URIPATH",
            "awswaf:managed:aws:known-bad-inputs:ExploitablePaths_URIPath"),
    KBI_LOG4J("AWS-AWSManagedRulesKnownBadInputsRuleSet", "MANAGED_RULE_GROUP",
            "AWS#AWSManagedRulesKnownBadInputsRuleSet", "Log4JRCE_HEADER",
            "awswaf:managed:aws:known-bad-inputs:Log4JRCE_Header");

    final String terminatingRuleId;
    final String terminatingRuleType;
    final String ruleGroupId;
    final String groupRuleId;
    final String label;

    WafRule(String terminatingRuleId, String terminatingRuleType, String ruleGroupId, String groupRuleId,
            String label) {
        this.terminatingRuleId = terminatingRuleId;
        this.terminatingRuleType = terminatingRuleType;
        this.ruleGroupId = ruleGroupId;
        this.groupRuleId = groupRuleId;
        this.label = label;
    }

    /** The rate-based rule's limit per 5-minute window and IP. */
    static final int RATE_LIMIT_PER_5_MIN = 2000;
}
