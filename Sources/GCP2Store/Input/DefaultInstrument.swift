import Foundation
import GCP2Core

/// The embedded default instrument `gcp2-structure`: GCP2's public structure with the project's own neutral wording.
///
/// It carries no NSPCC descriptor text. Sub-areas whose items are not public are graded through one item.
extension Instrument {
    /// The default instrument, validated through the same path as an external file.
    public static let gcp2Structure: ValidatedInstrument = {
        do {
            return try InstrumentFile.load(from: Data(gcp2StructureJSON.utf8))
        } catch {
            fatalError("the embedded instrument is invalid: \(error)")
        }
    }()

    /// The JSON source of the default instrument, as written by `gcp2 instrument show --json`.
    public static let gcp2StructureJSON = #"""
        {
          "aggregation": {
            "area": "mean-half-worse",
            "subArea": "mean-half-worse"
          },
          "areas": [
            {
              "code": "A",
              "linkId": "physical",
              "subAreas": [
                {
                  "code": "A.1",
                  "items": [
                    {
                      "code": "A.1.a",
                      "linkId": "physical.nutrition.quality",
                      "prompt": "What the child is given to eat and drink, and how suitable it is for their age.",
                      "title": "Quality of food"
                    },
                    {
                      "code": "A.1.b",
                      "linkId": "physical.nutrition.weight",
                      "prompt": "How the carer responds to the child being markedly under or over a healthy weight.",
                      "title": "Healthy weight"
                    }
                  ],
                  "linkId": "physical.nutrition",
                  "title": "Nutrition"
                },
                {
                  "code": "A.2",
                  "items": [
                    {
                      "code": "A.2.a",
                      "linkId": "physical.housing.maintenance",
                      "prompt": "Upkeep of the home: repairs, cleanliness and hazards.",
                      "title": "Maintenance"
                    },
                    {
                      "code": "A.2.b",
                      "linkId": "physical.housing.decor",
                      "prompt": "How the home is kept for the child: warmth, comfort and a space of their own.",
                      "title": "Decor"
                    },
                    {
                      "code": "A.2.c",
                      "linkId": "physical.housing.facilities",
                      "prompt": "Basic facilities such as heating, washing, cooking and a bed for the child.",
                      "title": "Facilities"
                    }
                  ],
                  "linkId": "physical.housing",
                  "title": "Housing"
                },
                {
                  "code": "A.3",
                  "items": [
                    {
                      "code": "A.3.a",
                      "linkId": "physical.clothing.overall",
                      "prompt": "Clothing suited to the weather, the child's size and the activity.",
                      "title": "Clothing"
                    }
                  ],
                  "linkId": "physical.clothing",
                  "title": "Clothing"
                },
                {
                  "code": "A.4",
                  "items": [
                    {
                      "code": "A.4.a",
                      "linkId": "physical.hygiene.overall",
                      "prompt": "Washing, teeth, hair and toileting, with help suited to the child's age.",
                      "title": "Hygiene"
                    }
                  ],
                  "linkId": "physical.hygiene",
                  "title": "Hygiene"
                },
                {
                  "code": "A.5",
                  "items": [
                    {
                      "code": "A.5.a",
                      "linkId": "physical.health.overall",
                      "prompt": "Seeking and following through health care: appointments, treatment, immunisation.",
                      "title": "Health"
                    }
                  ],
                  "linkId": "physical.health",
                  "title": "Health"
                }
              ],
              "title": "Physical care"
            },
            {
              "code": "B",
              "linkId": "safety",
              "subAreas": [
                {
                  "code": "B.1",
                  "items": [
                    {
                      "code": "B.1.a",
                      "linkId": "safety.presence.awareness",
                      "prompt": "How aware the carer is of risks to the child while they are with the child.",
                      "title": "Awareness of safety"
                    },
                    {
                      "code": "B.1.b",
                      "linkId": "safety.presence.features",
                      "prompt": "Safety equipment and arrangements in the home suited to the child's age.",
                      "title": "Safety features"
                    },
                    {
                      "ages": {
                        "fromMonths": 36
                      },
                      "code": "B.1.c",
                      "linkId": "safety.presence.online",
                      "prompt": "How the carer oversees the child's use of phones, games and the internet.",
                      "title": "Online safety"
                    }
                  ],
                  "linkId": "safety.presence",
                  "title": "In the carer's presence"
                },
                {
                  "code": "B.2",
                  "items": [
                    {
                      "code": "B.2.a",
                      "linkId": "safety.absence.overall",
                      "prompt": "Who looks after the child when the carer is not there, and how the carer knows the child is safe.",
                      "title": "Care in the carer's absence"
                    }
                  ],
                  "linkId": "safety.absence",
                  "title": "In the carer's absence"
                }
              ],
              "title": "Care of safety"
            },
            {
              "code": "C",
              "linkId": "emotional",
              "subAreas": [
                {
                  "code": "C.1",
                  "items": [
                    {
                      "code": "C.1.a",
                      "linkId": "emotional.carer.responsiveness",
                      "prompt": "How the carer notices and responds to the child's feelings and signals.",
                      "title": "Responsiveness"
                    }
                  ],
                  "linkId": "emotional.carer",
                  "title": "Carer responsiveness"
                },
                {
                  "code": "C.2",
                  "items": [
                    {
                      "code": "C.2.a",
                      "linkId": "emotional.engagement.quality",
                      "prompt": "The warmth and give-and-take between the carer and the child.",
                      "title": "Quality of engagement"
                    }
                  ],
                  "linkId": "emotional.engagement",
                  "title": "Mutual engagement"
                }
              ],
              "title": "Emotional care"
            },
            {
              "code": "D",
              "linkId": "developmental",
              "subAreas": [
                {
                  "code": "D.1",
                  "items": [
                    {
                      "ages": {
                        "toMonths": 60
                      },
                      "code": "D.1.a",
                      "linkId": "developmental.stimulation.early",
                      "prompt": "Play, talk and learning at home for a young child.",
                      "title": "Stimulation (under 5)",
                      "variantGroup": "stimulation"
                    },
                    {
                      "ages": {
                        "fromMonths": 60
                      },
                      "code": "D.1.b",
                      "linkId": "developmental.stimulation.school",
                      "prompt": "Support for school, learning, interests and activities.",
                      "title": "Stimulation (5 and over)",
                      "variantGroup": "stimulation"
                    }
                  ],
                  "linkId": "developmental.stimulation",
                  "title": "Stimulation"
                },
                {
                  "code": "D.2",
                  "items": [
                    {
                      "code": "D.2.a",
                      "linkId": "developmental.approval.overall",
                      "prompt": "How the carer praises and encourages the child.",
                      "title": "Approval"
                    }
                  ],
                  "linkId": "developmental.approval",
                  "title": "Approval"
                },
                {
                  "code": "D.3",
                  "items": [
                    {
                      "code": "D.3.a",
                      "linkId": "developmental.disapproval.overall",
                      "prompt": "How the carer sets limits and responds when the child does wrong.",
                      "title": "Disapproval"
                    }
                  ],
                  "linkId": "developmental.disapproval",
                  "title": "Disapproval"
                },
                {
                  "code": "D.4",
                  "items": [
                    {
                      "code": "D.4.a",
                      "linkId": "developmental.acceptance.overall",
                      "prompt": "How far the carer accepts the child for who they are.",
                      "title": "Acceptance"
                    }
                  ],
                  "linkId": "developmental.acceptance",
                  "title": "Acceptance"
                }
              ],
              "title": "Developmental care"
            }
          ],
          "bands": {
            "borderlineMax": 3,
            "strengthMax": 2
          },
          "id": "gcp2-structure",
          "scale": {
            "grades": [
              {
                "commitment": "The child's needs come first",
                "grade": 1,
                "needsMet": "All of the child's needs are met",
                "quality": "Best care"
              },
              {
                "commitment": "The child's needs come first most of the time",
                "grade": 2,
                "needsMet": "The child's essential needs are fully met",
                "quality": "Adequate care"
              },
              {
                "commitment": "The child's and the carer's needs are weighed equally",
                "grade": 3,
                "needsMet": "Some essential needs are not met",
                "quality": "Borderline care"
              },
              {
                "commitment": "The carer's needs come before the child's",
                "grade": 4,
                "needsMet": "Most essential needs are not met",
                "quality": "Poor care"
              },
              {
                "commitment": "The child's needs are not considered",
                "grade": 5,
                "needsMet": "Essential needs are not met at all, or care is hostile",
                "quality": "Worst care"
              }
            ]
          },
          "schemaVersion": 1,
          "substitutions": [
            {
              "from": "emotional.carer",
              "subArea": "emotional.engagement",
              "when": "the child's temperament or disability distorts mutual engagement"
            }
          ],
          "title": "GCP2 structure (public areas and sub-areas, neutral wording)",
          "version": "1.0.0"
        }
        """#
}
